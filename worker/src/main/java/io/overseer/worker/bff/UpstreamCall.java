package io.overseer.worker.bff;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One upstream call, fully resolved: what to send and under which limits.
 *
 * @param upstream the name failures carry
 * @param method the HTTP method
 * @param uri the resolved URL
 * @param headers the forwarded request headers (lower-case names)
 * @param body the JSON body, or {@code null}
 * @param timeout the limit of one attempt
 * @param retries extra attempts after a transient failure
 * @param cacheTtl the age up to which a cached result is good enough; zero: do not use the cache
 * @param deadline the request's deadline, which bounds every attempt and every retry
 */
record UpstreamCall(
    String upstream,
    String method,
    URI uri,
    Map<String, String> headers,
    String body,
    Duration timeout,
    int retries,
    Duration cacheTtl,
    Instant deadline) {

  boolean isGet() {
    return method.equals("GET");
  }

  /**
   * Identity for the cache and for coalescing. Forwarded headers are part of it: a page fetched
   * with {@code accept-language: fr} must not be served to a German reader.
   */
  String key() {
    return method + ' ' + uri + ' ' + new TreeMap<>(headers);
  }

  /** Time left before the deadline, never negative. */
  Duration remaining() {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
