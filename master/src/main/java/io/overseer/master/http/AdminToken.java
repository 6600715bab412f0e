package io.overseer.master.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The admin token check, one for every guarded endpoint ({@code /_admin}, {@code /metrics}): an
 * {@code Authorization: Bearer <token>} header, compared in constant time.
 */
public final class AdminToken {
  private static final String BEARER = "Bearer ";

  private final byte[] token;

  public AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param header the request's {@code Authorization} header, if any
   */
  public boolean accepts(Optional<String> header) {
    return header
        .filter(value -> value.startsWith(BEARER))
        .map(value -> value.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))
        // Constant-time comparison: response timing must not reveal how much of a guess matched.
        .map(presented -> MessageDigest.isEqual(presented, token))
        .orElse(false);
  }

  /** 401, saying whether the token was missing or wrong, and where to find it. */
  public static HttpResponse refusal(Optional<String> header) {
    return EdgeErrors.unauthorized(header.isPresent());
  }
}
