package io.overseer.api.bff;

import java.util.Map;

/**
 * What a BFF route answers.
 *
 * <pre>{@code
 * BffResponse.json(200, "{\"ok\":true}");
 * BffResponse.html(200, "<h1>Hello</h1>");
 * new BffResponse(201, BffResponse.JSON, "{}", Map.of("Location", "/orders/7"));
 * }</pre>
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type} header value
 * @param body the body as text
 * @param headers further response headers
 */
public record BffResponse(
    int status, String contentType, String body, Map<String, String> headers) {

  /** Content type of every JSON answer. */
  public static final String JSON = "application/json; charset=utf-8";

  /** Content type of every rendered page. */
  public static final String HTML = "text/html; charset=utf-8";

  /** Replaces absent headers with an empty map. */
  public BffResponse {
    headers = headers == null ? Map.of() : headers;
  }

  /** A JSON answer whose body is already serialized. */
  public static BffResponse json(int status, String json) {
    return new BffResponse(status, JSON, json, Map.of());
  }

  /** An HTML answer. */
  public static BffResponse html(int status, String html) {
    return new BffResponse(status, HTML, html, Map.of());
  }
}
