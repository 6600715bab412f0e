package io.overseer.master.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Every response body of the edge is JSON; this is the one place that writes it. */
public final class JsonResponses {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  public static HttpResponse ok(Object body) {
    return of(StatusCodes.OK, body);
  }

  public static HttpResponse of(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response body is not serializable: " + body.getClass(), e);
    }
  }

  /** {@code {"error": message, ...details}} with the given status. */
  public static HttpResponse error(StatusCode status, String message, Map<String, ?> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.putAll(details);
    return of(status, body);
  }

  public static HttpResponse error(StatusCode status, String message) {
    return error(status, message, Map.of());
  }
}
