package io.overseer.master.http;

import com.typesafe.config.Config;
import io.overseer.protocol.logging.RequestLog;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request the edge (or the admin listener) answers has an id: the client's {@code
 * X-Request-Id} when it is a valid one, else one made here. The id replaces the request's header
 * before any route sees it (so routes read one, trusted, value: {@link #of}), is returned on every
 * answer (routed, BFF, jobs, the edge's own, errors and rejections alike), goes to the worker in
 * the protocol's {@code correlationId}, and is in the log lines about the request ({@link
 * RequestLog}).
 *
 * <p>Valid: 1 to {@code overseer.http.request-id-max-length} characters among letters, digits and
 * {@code - _ . : + / =} (a UUID, hex, base64 or a tracing id all fit). Anything else (a space, a
 * quote, a control character, a megabyte) would reach log files, JSON lines, upstream headers and a
 * command job's environment, so it is replaced rather than trusted, and not echoed.
 */
public final class RequestIds extends AllDirectives {
  private static final Logger accessLog = LoggerFactory.getLogger("io.overseer.master.access");

  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  private final int maxLength;
  private final boolean logAccess;

  /**
   * @param maxLength the longest id taken from a client, in characters
   * @param logAccess one INFO line per answer ({@code overseer.logging.access-log})
   */
  public RequestIds(int maxLength, boolean logAccess) {
    if (maxLength < 1) {
      throw new IllegalArgumentException(
          "overseer.http.request-id-max-length must be at least 1, got " + maxLength);
    }
    this.maxLength = maxLength;
    this.logAccess = logAccess;
  }

  /** From the whole configuration: {@code overseer.http.request-id-max-length}, the access log. */
  public static RequestIds create(Config config) {
    return new RequestIds(
        config.getInt("overseer.http.request-id-max-length"),
        config.getBoolean("overseer.logging.access-log"));
  }

  /** Whether a client's id may be used as it is. */
  public boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isSafe(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSafe(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-_.:+/=".indexOf(c) >= 0;
  }

  /** The client's id if valid, else a new one. */
  public String accept(Optional<String> incoming) {
    return incoming.filter(this::isValid).orElseGet(RequestIds::generate);
  }

  /**
   * A new id: 128 random bits as 32 lowercase hex digits. ThreadLocalRandom, not SecureRandom: an
   * id names a request in logs, it grants nothing, and the edge makes one per request on every
   * thread.
   */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] hex = new char[32];
    fill(hex, 0, random.nextLong());
    fill(hex, 16, random.nextLong());
    return new String(hex);
  }

  private static void fill(char[] hex, int from, long bits) {
    for (int i = from + 15; i >= from; i--) {
      hex[i] = HEX_DIGITS[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  /** The request's id as {@link #around} set it; empty for a request that did not pass it. */
  public static String of(HttpRequest request) {
    return request.getHeader(RequestLog.HEADER).map(h -> h.value()).orElse("");
  }

  /** {@code routes} with the id set on each request and on each of their answers. */
  public Route around(Route routes) {
    return extractRequest(
        request -> {
          String id = accept(request.getHeader(RequestLog.HEADER).map(h -> h.value()));
          long startNanos = System.nanoTime();
          RawHeader header = RawHeader.create(RequestLog.HEADER, id);
          Supplier<Route> inner =
              () ->
                  mapRequest(
                      r -> r.removeHeader(RequestLog.HEADER).addHeader(header),
                      () ->
                          mapResponse(
                              response -> answered(request, id, startNanos, response, header),
                              () -> routes));
          // Pekko's own 503 when request-timeout passes bypasses mapResponse: given here instead
          // (unless request-timeout is off: then there is no such answer, and Pekko would warn).
          return request.getHeader(TimeoutAccess.class).isPresent()
              ? withRequestTimeoutResponse(timedOut -> timedOut(header), inner)
              : inner.get();
        });
  }

  /**
   * As {@link #around}, as a request handler that first offers each request to {@code direct}: a
   * request it answers skips the routing DSL, with the same id, the same header on its answer, the
   * same access log line and the same request-timeout answer as {@link #around} gives.
   */
  public Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      Route routes, DirectAnswer direct, ClassicActorSystemProvider system) {
    Function<HttpRequest, CompletionStage<HttpResponse>> viaRoutes = around(routes).handler(system);
    return request -> {
      String id = accept(request.getHeader(RequestLog.HEADER).map(h -> h.value()));
      long startNanos = System.nanoTime();
      CompletionStage<HttpResponse> answer = direct.answer(request, id);
      if (answer == null) {
        return viaRoutes.apply(request); // which takes the id anew (the same one, if the client's)
      }
      RawHeader header = RawHeader.create(RequestLog.HEADER, id);
      request
          .getHeader(TimeoutAccess.class)
          .ifPresent(access -> access.timeoutAccess().updateHandler(timedOut -> timedOut(header)));
      return answer.thenApply(response -> answered(request, id, startNanos, response, header));
    };
  }

  /**
   * Pekko's request-timeout passed before any route answered (the edge's own deadlines come first
   * by {@code overseer.http.timeout-margin}): its 503 as JSON, with the id.
   */
  private static HttpResponse timedOut(RawHeader header) {
    return JsonResponses.error(
            StatusCodes.SERVICE_UNAVAILABLE,
            "the server could not answer in time (request-timeout)")
        .addHeader(header);
  }

  /** A relayed worker answer may carry its own X-Request-Id: the edge's is the one that counts. */
  private HttpResponse answered(
      HttpRequest request, String id, long startNanos, HttpResponse response, RawHeader header) {
    if (logAccess) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      RequestLog.with(
          id,
          () ->
              accessLog.info(
                  "{} {} {} {} ms",
                  request.method().name(),
                  request.getUri().path(),
                  response.status().intValue(),
                  millis));
    }
    return response.removeHeader(RequestLog.HEADER).addHeader(header);
  }
}
