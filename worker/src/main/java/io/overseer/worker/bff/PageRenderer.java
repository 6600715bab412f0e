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
 *
 * <p>A page route's failures are not pages here: the engine answers them as JSON, and the master's
 * edge shows them as the route's error page (the one place that renders error pages).
 */
final class PageRenderer {
  private final Map<String, Mustache> templates;
  private final ObjectMapper mapper;

  private PageRenderer(Map<String, Mustache> templates, ObjectMapper mapper) {
    this.templates = templates;
    this.mapper = mapper;
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
}
