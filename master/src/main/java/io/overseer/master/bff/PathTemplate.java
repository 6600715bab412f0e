package io.overseer.master.bff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route path such as {@code /api/products/{id}}: literal segments match themselves, a {@code
 * {name}} segment matches any one non-empty segment and captures it.
 */
public final class PathTemplate {
  private final String template;
  private final List<String> segments;

  private PathTemplate(String template, List<String> segments) {
    this.template = template;
    this.segments = segments;
  }

  public static PathTemplate parse(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a route path must start with '/': " + template);
    }
    List<String> segments = new ArrayList<>();
    for (String segment : template.substring(1).split("/", -1)) {
      boolean variable = segment.startsWith("{") && segment.endsWith("}");
      if (segment.isEmpty()
          || (variable && !segment.matches("\\{[A-Za-z_][A-Za-z0-9_]*}"))
          || (!variable && (segment.contains("{") || segment.contains("}")))) {
        throw new IllegalArgumentException(
            "bad segment '" + segment + "' in route path " + template);
      }
      segments.add(segment);
    }
    return new PathTemplate(template, List.copyOf(segments));
  }

  /**
   * @return the captured parameters, or empty if the path does not match
   */
  public Optional<Map<String, String>> match(String path) {
    if (!path.startsWith("/")) {
      return Optional.empty();
    }
    String[] parts = path.substring(1).split("/", -1);
    if (parts.length != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{")) {
        if (parts[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(segment.substring(1, segment.length() - 1), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  @Override
  public String toString() {
    return template;
  }
}
