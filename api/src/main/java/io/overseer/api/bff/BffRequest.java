package io.overseer.api.bff;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request for a BFF route, as the edge matched it; a handler reads it through {@link
 * BffContext#request()}:
 *
 * <pre>{@code
 * BffRequest request = context.request();
 * String token = request.header("authorization"); // case-insensitive
 * String body = request.body(); // already validated against the route's body schema
 * }</pre>
 *
 * @param route the route's name under {@code overseer.bff.routes}
 * @param pathParams parameters the edge extracted from the path ({@code {path.id}} in templates)
 * @param query query parameters, each with all its values in order ({@code {query.lang}} uses the
 *     first)
 * @param headers request headers; names are matched case-insensitively, only allowlisted ones go
 *     upstream; {@code x-request-id} is the request's id as the edge took or made it, sent with
 *     every upstream call whatever the allowlist
 * @param body the request body as text, or {@code null}
 * @param deadline when the client stops waiting; {@code null} means {@code limits.default-deadline}
 *     from now
 */
public record BffRequest(
    String route,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    Map<String, String> headers,
    String body,
    Instant deadline) {

  /**
   * Replaces absent maps with empty ones so that the engine and handlers never see {@code null}.
   */
  public BffRequest {
    pathParams = pathParams == null ? Map.of() : pathParams;
    query = query == null ? Map.of() : query;
    headers = headers == null ? Map.of() : headers;
  }

  /** The value of a header, its name matched case-insensitively, or {@code null}. */
  public String header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
