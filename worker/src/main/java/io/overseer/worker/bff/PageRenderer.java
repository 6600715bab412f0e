package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.typesafe.config.ConfigException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Server-side rendering with Mustache, whose {@code {{name}}} escapes HTML by default: upstream
 * text such as {@code <script>} comes out inert. Templates (and their partials) are compiled once
 * when the engine starts, so a missing or broken template stops the worker at start, and a reload
 * re-reads them.
 *
 * <p>Besides the composed document's fields, every template gets:
 *
 * <ul>
 *   <li>{@code initialState}: the same document as JSON, escaped by {@link InitialState} for the
 *       inside of {@code <script type="application/json" id="initial-state">…</script>};
 *   <li>{@code initialStateScript}: that whole element.
 * </ul>
 *
 * Both must be written with triple braces ({@code {{{initialStateScript}}}}): HTML escaping would
 * turn the JSON's quotes into {@code &quot;}, which a script element never decodes. Triple braces
 * are safe for these two only, because they contain no {@code <}, {@code >} or {@code &} from data.
 * Never use triple braces for upstream text.
 */
final class PageRenderer {
  /**
   * The built-in error page, on the class path (shared with the edge, which renders its own
   * refusals).
   */
  static final String DEFAULT_ERROR_PAGE = "overseer-error-page.mustache";

  private final Map<String, Mustache> templates;
  private final ObjectMapper mapper;
  private final Mustache defaultErrorPage;

  private PageRenderer(Map<String, Mustache> templates, ObjectMapper mapper) {
    this.templates = templates;
    this.mapper = mapper;
    this.defaultErrorPage = new DefaultMustacheFactory().compile(DEFAULT_ERROR_PAGE);
  }

  /**
   * Compiles the named templates from the directory; fails with the template named if one is
   * missing or bad.
   */
  static PageRenderer load(Path directory, Set<String> names, ObjectMapper mapper) {
    Map<String, Mustache> compiled = new HashMap<>();
    // A worker without pages needs no template directory at all.
    if (names.isEmpty()) {
      return new PageRenderer(Map.of(), mapper);
    }
    if (!Files.isDirectory(directory)) {
      throw new ConfigException.BadValue(
          "overseer.bff.templates",
          "template directory "
              + directory.toAbsolutePath()
              + " does not exist; routes need "
              + names);
    }
    DefaultMustacheFactory factory = new DefaultMustacheFactory(directory.toFile());
    for (String name : names) {
      try {
        compiled.put(name, factory.compile(name));
      } catch (MustacheException e) {
        throw new ConfigException.BadValue(
            "overseer.bff.templates",
            "template '" + name + "' in " + directory.toAbsolutePath() + ": " + e.getMessage(),
            e);
      }
    }
    return new PageRenderer(Map.copyOf(compiled), mapper);
  }

  /**
   * Renders the page.
   *
   * @param template a template name given to {@link #load}
   * @param data the composed document
   * @param json the same document serialized
   */
  String render(String template, JsonNode data, String json) {
    Map<String, Object> scope = new LinkedHashMap<>();
    Object plain = mapper.convertValue(data, Object.class);
    if (plain instanceof Map<?, ?> fields) {
      fields.forEach((k, v) -> scope.put(String.valueOf(k), v));
    }
    scope.put("data", plain);
    String escaped = InitialState.escape(json);
    scope.put("initialState", escaped);
    scope.put("initialStateScript", InitialState.script(escaped));
    StringWriter out = new StringWriter();
    templates.get(template).execute(out, scope);
    return out.toString();
  }

  /**
   * Renders an error page from the JSON error body: {@code status}, {@code error}, {@code route},
   * {@code errors} (each with {@code location}, {@code field}, {@code problem}) and {@code
   * hasErrors}, {@code details} (every other field as {@code name} and {@code value}) and {@code
   * json} (the body).
   *
   * @param template the route's {@code error-template}, or null for the built-in page
   */
  String renderError(String template, int status, JsonNode error) {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("status", status);
    scope.put("error", error.path("error").asText());
    scope.put("route", error.path("route").asText());
    java.util.List<Object> errors = new java.util.ArrayList<>();
    error.path("errors").forEach(e -> errors.add(mapper.convertValue(e, Object.class)));
    scope.put("errors", errors);
    scope.put("hasErrors", !errors.isEmpty());
    java.util.List<Map<String, String>> details = new java.util.ArrayList<>();
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
    StringWriter out = new StringWriter();
    (template == null ? defaultErrorPage : templates.get(template)).execute(out, scope);
    return out.toString();
  }
}
