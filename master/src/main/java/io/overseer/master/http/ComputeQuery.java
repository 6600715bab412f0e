package io.overseer.master.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates {@code /compute}'s {@code n} at the edge, before any worker is touched. */
public final class ComputeQuery {
  /** Longer strings cannot be an acceptable n; refuse them before parsing. */
  private static final int MAX_DIGITS = 40;

  /**
   * The whole text must be a number, nothing around it: trimming once let {@code 1%00} (a NUL) and
   * {@code 1%20} through as 1. Signs, a fraction and an exponent are matched here and judged below.
   */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?");

  private ComputeQuery() {}

  /**
   * Accepts a decimal integer, or scientific notation that denotes one ({@code 1e10}, as the seed
   * writes it).
   *
   * @throws BadParameter naming {@code n} when it is missing, not an integer, negative or above
   *     {@code maxN}
   */
  public static long parseN(Optional<String> raw, long maxN) {
    String text = raw.orElseThrow(() -> new BadParameter("n", "missing"));
    if (text.isEmpty()) {
      throw new BadParameter("n", "missing");
    }
    if (text.length() > MAX_DIGITS) {
      throw new BadParameter(
          "n", "too long to be a number (at most " + MAX_DIGITS + " characters)");
    }
    if (!NUMBER.matcher(text).matches()) {
      throw new BadParameter("n", "not a number: '" + printable(text) + "'");
    }
    BigDecimal number = new BigDecimal(text).stripTrailingZeros();
    // Checked on precision and scale before any conversion: "1e999999999" is short but would
    // otherwise expand into a billion-digit integer.
    if (number.scale() > 0) {
      throw new BadParameter("n", "not an integer: '" + text + "'");
    }
    if (number.signum() < 0) {
      throw new BadParameter("n", "negative: '" + text + "' (must be 0 or more)");
    }
    if (number.precision() - number.scale() > 19
        || number.toBigIntegerExact().compareTo(BigInteger.valueOf(maxN)) > 0) {
      throw new BadParameter("n", "too large: '" + text + "' (at most " + maxN + ")");
    }
    BigInteger value = number.toBigIntegerExact();
    return value.longValueExact();
  }

  /** Control characters shown as {@code \\uXXXX}: the answer names what was sent, visibly. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }
}
