package io.overseer.master.supervision;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of instances as configured: a whole number, or {@code max} / {@code max-N} (pm2's {@code
 * -i max}), the cores of the host the instances run on (less N, at least 1). Resolved per host with
 * {@link #on}: the master's cores for {@code instances}; each host's own for {@code
 * placement.per-host}, so that every agent runs as many as it has cores.
 *
 * @param perCore whether the count follows the host's cores
 * @param value the count itself; with {@code perCore}, how many fewer than the cores
 */
public record InstanceCount(boolean perCore, int value) {
  /** {@code max}, {@code max-1}: N is at most four digits (no host has that many cores). */
  private static final Pattern MAX = Pattern.compile("max(?:-(\\d{1,4}))?");

  public InstanceCount {
    if (value < 0) {
      throw new IllegalArgumentException("an instance count is 0 or more, got " + value);
    }
  }

  /** A fixed count. */
  public static InstanceCount of(int count) {
    return new InstanceCount(false, count);
  }

  /**
   * Reads {@code key} of {@code config}: a whole number from 0, {@code max} or {@code max-N};
   * anything else is refused with a message naming the key and what it accepts.
   */
  public static InstanceCount read(Config config, String key) {
    if (config.getValue(key).valueType() == ConfigValueType.NUMBER) {
      Number number = config.getNumber(key);
      if (number.doubleValue() == number.intValue() && number.intValue() >= 0) {
        return of(number.intValue());
      }
    } else if (config.getValue(key).valueType() == ConfigValueType.STRING) {
      Matcher max = MAX.matcher(config.getString(key).trim());
      if (max.matches()) {
        return new InstanceCount(true, max.group(1) == null ? 0 : Integer.parseInt(max.group(1)));
      }
    }
    throw new IllegalArgumentException(
        key
            + " must be a whole number from 0, max (the host's cores) or max-N (at least 1), got "
            + config.getValue(key).render());
  }

  /** The count on a host with {@code cores} cores. */
  public int on(int cores) {
    return perCore ? Math.max(1, cores - value) : value;
  }

  /** Whether it is more than none on any host: {@code per-host = 0} means "spread instead". */
  public boolean any() {
    return perCore || value > 0;
  }

  /** The cores of this JVM's host, as the JVM sees them (its CPU affinity and container quota). */
  public static int localCores() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public String toString() {
    return !perCore ? String.valueOf(value) : value == 0 ? "max" : "max-" + value;
  }
}
