package io.overseer.worker.bff;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.UpstreamException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL or body template with {@code {root.field.field}} placeholders, where the root is {@code
 * path}, {@code query}, {@code body} or the name of an earlier upstream. The roots are how the
 * engine derives which upstream calls wait for which: a call runs as soon as every upstream its
 * templates name has answered.
 */
final class Placeholders {
  /** Identifiers only, so that the braces of a JSON body template are left alone. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*)}");

  /**
   * Percent-encodes a value so that it stays one path segment or query value (no '/', '?', '&',
   * '#').
   */
  static final UnaryOperator<String> URL = Placeholders::percentEncode;

  /** Escapes a value for the inside of a JSON string literal in a body template. */
  static final UnaryOperator<String> JSON_STRING =
      s -> new String(JsonStringEncoder.getInstance().quoteAsString(s));

  private record Ref(String text, String root, List<String> fields) {}

  private final List<Object> parts;

  private Placeholders(List<Object> parts) {
    this.parts = parts;
  }

  static Placeholders parse(String template) {
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      parts.add(template.substring(last, m.start()));
      List<String> segments = List.of(m.group(1).split("\\."));
      parts.add(new Ref(m.group(), segments.get(0), segments.subList(1, segments.size())));
      last = m.end();
    }
    parts.add(template.substring(last));
    return new Placeholders(List.copyOf(parts));
  }

  /** Every root the template reads: {@code path}, {@code query}, {@code body} or upstream names. */
  Set<String> roots() {
    Set<String> roots = new LinkedHashSet<>();
    for (Object part : parts) {
      if (part instanceof Ref ref) {
        roots.add(ref.root());
      }
    }
    return roots;
  }

  /**
   * Fills the placeholders.
   *
   * @param upstream the upstream being prepared, named in the failure
   * @param roots the JSON of each root; {@code null} when absent
   * @param encoder how a value is made safe for where it goes ({@link #URL} or {@link
   *     #JSON_STRING})
   * @throws UpstreamException {@code unresolved {ref}} when a value is missing, null, an object or
   *     an array
   */
  String render(String upstream, Function<String, JsonNode> roots, UnaryOperator<String> encoder) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Ref ref) {
        String value = scalar(roots.apply(ref.root()), ref.fields());
        if (value == null) {
          throw new UpstreamException(upstream, "unresolved " + ref.text());
        }
        out.append(encoder.apply(value));
      } else {
        out.append((String) part);
      }
    }
    return out.toString();
  }

  private static String scalar(JsonNode node, List<String> fields) {
    for (String field : fields) {
      if (node == null) {
        return null;
      }
      boolean index = field.length() < 10 && field.chars().allMatch(Character::isDigit);
      node = node.isArray() && index ? node.get(Integer.parseInt(field)) : node.get(field);
    }
    // A repeated query parameter arrives as an array: the first value stands for it, as in servlet
    // getParameter.
    if (node != null && node.isArray()) {
      node = node.get(0);
    }
    return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  private static String percentEncode(String value) {
    // "." and ".." are path segments of their own that servers resolve: encode them so that a path
    // parameter can never climb out of the directory its template put it in.
    if (value.equals(".") || value.equals("..")) {
      return value.replace(".", "%2E");
    }
    // The JDK encodes for HTML forms; RFC 3986 differs in three characters: space, '*' and '~'.
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }
}
