package io.overseer.master.bff;

import io.overseer.master.http.EdgeErrors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.stream.Materializer;

/**
 * Reads a BFF request's body within the edge's limits, while it streams in, and says what is wrong
 * with one it refuses (a status and a problem; {@link EdgeErrors} makes the answer): Pekko's own
 * per-entity limit ({@link HttpEntity#withSizeLimit}) fails the stream at {@code max-body-size} (at
 * once when Content-Length already says more), so that a 1 GB upload costs 64 KiB of reading, not 1
 * GB; {@code body-timeout} bounds a body that trickles or never ends.
 */
final class BodyReader {
  /**
   * What a JSON route accepts, as the 415 answer states it. JSON is UTF-8 (RFC 8259 defines no
   * charset parameter for it, and Pekko drops one given with a JSON type); the bytes are decoded
   * strictly as UTF-8 whatever is declared.
   */
  static final String ACCEPTED = "application/json (or any application/*+json), UTF-8";

  private final BodyLimits limits;

  BodyReader(BodyLimits limits) {
    this.limits = limits;
  }

  /** A request body, or the reason it is refused, as a status and a problem. */
  record Read(String body, int status, String problem) {
    static Read of(String body) {
      return new Read(body, 0, null);
    }

    static Read refused(int status, String problem) {
      return new Read(null, status, problem);
    }

    boolean ok() {
      return problem == null;
    }
  }

  /**
   * The refusal of a body before any byte of it is read: 400 on a route that takes none, 415 when
   * it is not declared JSON; empty when reading may start.
   */
  Optional<Read> refuseUnread(boolean takesBody, HttpEntity entity) {
    if (entity.isKnownEmpty()) {
      return Optional.empty();
    }
    if (!takesBody) {
      return Optional.of(Read.refused(400, "this route takes no body"));
    }
    MediaType type = entity.getContentType().mediaType();
    String subType = type.subType().toLowerCase(Locale.ROOT);
    boolean json =
        type.mainType().equalsIgnoreCase("application")
            && (subType.equals("json") || subType.endsWith("+json"));
    if (!json) {
      String given = entity.getContentType().toString();
      return Optional.of(
          Read.refused(
              415,
              "unsupported media type "
                  + (given.startsWith("none/none") ? "(no Content-Type)" : "'" + given + "'")
                  + "; this route accepts "
                  + ACCEPTED));
    }
    return Optional.empty();
  }

  /**
   * Reads the whole body, failing the stream at the limit. Never completes exceptionally: a body
   * over {@code max-body-size} is a 413, one not complete within {@code body-timeout} a 408, bytes
   * that are not UTF-8 a 400.
   */
  CompletionStage<Read> read(HttpEntity entity, Materializer materializer) {
    if (entity.getContentLengthOption().orElse(0L) > limits.maxBodySize()) {
      // Declared too large: refused before a byte of it is read.
      return CompletableFuture.completedFuture(Read.refused(413, limits.tooLargeProblem()));
    }
    // toStrict's own byte bound (max-to-strict-bytes, 8 MiB) would otherwise apply before ours.
    return entity
        .withSizeLimit(limits.maxBodySize())
        .toStrict(limits.bodyTimeout().toMillis(), limits.maxBodySize(), materializer)
        .handle(
            (strict, error) ->
                error == null ? decode(strict.getData().asByteBuffer()) : refusal(error));
  }

  private Read refusal(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return switch (EdgeErrors.BodyFailure.of(cause)) {
      case TOO_LARGE -> Read.refused(413, limits.tooLargeProblem());
      case TOO_SLOW ->
          Read.refused(
              408,
              "the body did not arrive within "
                  + limits.bodyTimeout().toMillis()
                  + " ms ("
                  + BodyLimits.SECTION
                  + ".body-timeout)");
      // The client closed or broke the stream mid-body: nobody is left to read the answer, but it
      // must still be a 4xx rather than an error of ours.
      case BROKEN -> Read.refused(400, "the body ended abnormally: " + cause.getMessage());
    };
  }

  /**
   * Strict UTF-8: a replacement character silently standing in for bad bytes would change the
   * document.
   */
  private static Read decode(ByteBuffer bytes) {
    try {
      return Read.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes)
              .toString());
    } catch (CharacterCodingException e) {
      return Read.refused(400, "not UTF-8: malformed bytes in the body");
    }
  }
}
