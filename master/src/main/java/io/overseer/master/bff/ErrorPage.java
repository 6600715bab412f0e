package io.overseer.master.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import io.overseer.master.http.EdgeErrors;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;

/**
 * The error page of a route that renders pages ({@code template}): what the edge refuses on such a
 * route, and every error the worker answers for it (a JSON error: 502 upstream failed, a
 * passed-through 404, ...), is a page for the browser that asked, not JSON. {@link EdgeErrors}
 * makes the answer (or relays the worker's); this presents it, the one place that renders error
 * pages. The built-in page ({@code overseer-error-page.mustache}), or the route's {@code
 * error-template} from {@code overseer.bff.templates}. The scope: {@code status}, {@code error},
 * {@code route}, {@code errors} and {@code hasErrors}, {@code details} ({@code name}, {@code
 * value}: every other field of the JSON error) and {@code json}.
 */
public final class ErrorPage implements EdgeErrors.Presentation {
  private static final String BUILT_IN = "overseer-error-page.mustache";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Mustache template;

  private ErrorPage(Mustache template) {
    this.template = template;
  }

  /**
   * @param templates the template directory; {@code errorTemplate} is resolved in it
   * @param errorTemplate the route's {@code error-template}, or null for the built-in page
   * @throws IllegalArgumentException naming the template when it is missing or does not compile
   */
  static ErrorPage load(Path templates, String errorTemplate) {
    if (errorTemplate == null) {
      return new ErrorPage(new DefaultMustacheFactory().compile(BUILT_IN));
    }
    if (!Files.isRegularFile(templates.resolve(errorTemplate))) {
      throw new IllegalArgumentException(
          "error-template '" + errorTemplate + "' not found in " + templates);
    }
    try {
      return new ErrorPage(new DefaultMustacheFactory(templates.toFile()).compile(errorTemplate));
    } catch (MustacheException e) {
      throw new IllegalArgumentException(
          "error-template '" + errorTemplate + "': " + e.getMessage(), e);
    }
  }

  /** The JSON error answer as a page with the same status and headers. */
  @Override
  public HttpResponse present(HttpResponse json) {
    if (!(json.entity() instanceof HttpEntity.Strict strict)
        || !json.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return json;
    }
    try {
      JsonNode error = JSON.readTree(strict.getData().toArray());
      StringWriter out = new StringWriter();
      template.execute(out, scope(json.status().intValue(), error));
      return json.withEntity(ContentTypes.TEXT_HTML_UTF8, out.toString());
    } catch (IOException | MustacheException e) {
      return json;
    }
  }

  private static Map<String, Object> scope(int status, JsonNode error) {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("status", status);
    scope.put("error", error.path("error").asText());
    scope.put("route", error.path("route").asText());
    List<Object> errors = new ArrayList<>();
    error.path("errors").forEach(e -> errors.add(JSON.convertValue(e, Object.class)));
    scope.put("errors", errors);
    scope.put("hasErrors", !errors.isEmpty());
    List<Map<String, String>> details = new ArrayList<>();
    error
        .fields()
        .forEachRemaining(
            field -> {
              if (!Set.of("error", "errors").contains(field.getKey())) {
                details.add(
                    Map.of(
                        "name",
                        field.getKey(),
                        "value",
                        field.getValue().isValueNode()
                            ? field.getValue().asText()
                            : field.getValue().toString()));
              }
            });
    scope.put("details", details);
    scope.put("json", error.toString());
    return scope;
  }
}
