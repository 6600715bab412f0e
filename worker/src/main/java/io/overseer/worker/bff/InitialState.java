package io.overseer.worker.bff;

/**
 * JSON made safe to sit inside {@code <script type="application/json">}. Inside a script element
 * the HTML parser does not decode entities; it only looks for {@code </script} (and {@code <!--}),
 * so HTML escaping would corrupt the JSON while JSON escaping is what keeps the element closed.
 *
 * <p>{@code <}, {@code >} and {@code &} can only occur inside JSON strings, where {@code \}{@code
 * u003c} and friends mean the same characters: after the replacement no upstream text can close the
 * element or open a comment, and {@code JSON.parse} returns exactly the original data. U+2028 and
 * U+2029 are escaped too because older JavaScript parsers treat them as line ends inside string
 * literals.
 */
final class InitialState {
  private InitialState() {}

  /**
   * The escaped JSON, safe to render unescaped (Mustache triple braces) inside the script element.
   */
  static String escape(String json) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        case '&' -> out.append("\\u0026");
        case '\u2028' -> out.append("\\u2028");
        case '\u2029' -> out.append("\\u2029");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The whole element, with the id the client-side app reads its state from. */
  static String script(String escapedJson) {
    return "<script type=\"application/json\" id=\"initial-state\">" + escapedJson + "</script>";
  }
}
