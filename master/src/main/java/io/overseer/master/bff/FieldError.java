package io.overseer.master.bff;

import java.util.Objects;

/**
 * One thing wrong with a request, precise enough for a form to show it next to its field.
 *
 * @param location where the field is: {@code "path"}, {@code "query"} or {@code "body"}
 * @param field a JSON Pointer into that part, e.g. {@code "/id"} or {@code "/items/0/qty"}; {@code
 *     ""} for the part as a whole (a body that is not JSON, or not an object)
 * @param problem what is wrong, in words, e.g. {@code "string found, integer expected"}
 */
public record FieldError(String location, String field, String problem) {
  /** {@link #location()} of a path parameter. */
  public static final String PATH = "path";

  /** {@link #location()} of a query parameter, or of the query string as a whole. */
  public static final String QUERY = "query";

  /** {@link #location()} of a field of the JSON body, or of the body as a whole. */
  public static final String BODY = "body";

  /** All three are required; {@code field} is {@code ""} for the part as a whole. */
  public FieldError {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(problem, "problem");
  }

  /**
   * {@code name} as one JSON Pointer reference token ({@code ~} and {@code /} escaped, RFC 6901).
   */
  static String pointerToken(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
