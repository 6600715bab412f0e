package io.overseer.worker.warmup;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code overseer.worker.warm-up} section.
 *
 * @param enabled off: the worker announces itself at once, cold
 * @param iterations rounds of the request path to drive (each: every exercise once)
 * @param maxTime the longest the warm-up may hold Ready back, whatever is left of the iterations
 */
public record WarmUpSettings(boolean enabled, int iterations, Duration maxTime) {
  /** No warm-up: announced at once. */
  public static final WarmUpSettings OFF = new WarmUpSettings(false, 0, Duration.ZERO);

  public WarmUpSettings {
    if (iterations < 0 || maxTime.isNegative()) {
      throw new IllegalArgumentException(
          "overseer.worker.warm-up: iterations >= 0 and max-time >= 0");
    }
  }

  /** Reads {@code overseer.worker.warm-up} of the whole configuration. */
  public static WarmUpSettings create(Config config) {
    Config c = config.getConfig("overseer.worker.warm-up");
    return new WarmUpSettings(
        c.getBoolean("enabled"), c.getInt("iterations"), c.getDuration("max-time"));
  }

  /** Whether there is anything to run. */
  public boolean runs() {
    return enabled && iterations > 0 && !maxTime.isZero();
  }
}
