package io.overseer.master.jobs;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller's own deadline for one run ({@code POST /_admin/jobs/NAME?deadline=30s}, {@code overseer
 * job run NAME --deadline 30s}): a whole number with a unit, {@code ms}, {@code s} or {@code m},
 * above zero and at most the job's configured deadline — the configuration stays the limit of how
 * long a run may hold a worker; a caller may only ask for less.
 */
public final class RunDeadline {
  /** Nine digits at most: any such count of minutes is a valid {@link Duration}. */
  private static final Pattern TEXT = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private RunDeadline() {}

  /**
   * @throws IllegalArgumentException naming the expected form, if {@code text} is not one
   */
  public static Duration parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a deadline is a whole number with a unit, ms, s or m (e.g. 500ms, 30s, 2m), not '"
              + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration deadline =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
    if (deadline.isZero()) {
      throw new IllegalArgumentException("a deadline must be above 0, not '" + text + "'");
    }
    return deadline;
  }

  /**
   * @param configured the job's {@code deadline}, the most a caller may ask for
   * @throws IllegalArgumentException if {@code text} is not a deadline or is above {@code
   *     configured}
   */
  public static Duration within(String text, Duration configured) {
    Duration deadline = parse(text);
    if (deadline.compareTo(configured) > 0) {
      throw new IllegalArgumentException(
          "deadline "
              + text
              + " is above the job's configured deadline of "
              + configured.toMillis()
              + " ms (overseer.jobs.<name>.deadline)");
    }
    return deadline;
  }
}
