package io.overseer.master.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Slow start (Envoy's {@code slow_start_config}, nginx's {@code slow_start}): a worker that has
 * just become routable gets a share of the requests that grows over a window, instead of its full
 * share at once. A new JVM runs its first requests interpreted and compiles while it serves, on the
 * cores the master and the other workers serve on: given its full share at once it held a rolling
 * reload's whole app at a few percent of its steady rate for a second (BENCHMARKS.md, "Warm-up").
 *
 * <p>A worker online for {@code age} has the ramp {@code max(minShare, age / window)}, 1 past the
 * window. While at least one candidate is past its window (settled), each pick keeps every ramping
 * candidate in its list with the probability of its ramp, and the settled ones always: a new worker
 * beside settled ones gets its ramp's fraction of its share, the settled ones the rest. Without a
 * settled candidate nothing is held back, as there is nobody to take the load: a lone new worker,
 * or the workers of a start, get every request at once. The strategy then picks among those that
 * stayed, whichever it is: round-robin ignores weights, so the ramp cannot be one.
 */
final class SlowStart {
  private final long windowNanos;
  private final double minShare;
  private final DoubleSupplier random;

  /**
   * @param window how long a new worker's share ramps up; zero: no slow start
   * @param minShare the share of its full share a worker gets at the start of the window, in (0, 1]
   * @param random uniform in [0, 1): which candidates stay in a pick
   */
  SlowStart(Duration window, double minShare, DoubleSupplier random) {
    check(window, minShare);
    this.windowNanos = window.toNanos();
    this.minShare = minShare;
    this.random = random;
  }

  SlowStart(Duration window, double minShare) {
    this(window, minShare, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Refuses settings no slow start can have; {@link AdmissionSettings} checks config with it. */
  static void check(Duration window, double minShare) {
    if (window.isNegative() || !(minShare > 0 && minShare <= 1)) {
      throw new IllegalArgumentException(
          "overseer.routing.slow-start: window >= 0 and 0 < min-share <= 1");
    }
  }

  /** The ramp of a worker online for {@code ageNanos}: in [minShare, 1]. */
  double ramp(long ageNanos) {
    if (ageNanos >= windowNanos) {
      return 1.0;
    }
    return Math.max(minShare, Math.max(0, ageNanos) / (double) windowNanos);
  }

  /**
   * The candidates that stay in this pick; the list itself when none is ramping or none is settled
   * (no allocation on the steady path), never empty when {@code candidates} is not.
   */
  List<Slot> admit(List<Slot> candidates, long nowNanos) {
    if (windowNanos == 0 || candidates.size() < 2) {
      return candidates;
    }
    boolean settled = false;
    boolean ramping = false;
    for (Slot slot : candidates) {
      boolean ramps = nowNanos - slot.onlineNanos < windowNanos;
      ramping |= ramps;
      settled |= !ramps;
    }
    if (!ramping || !settled) {
      return candidates;
    }
    List<Slot> admitted = new ArrayList<>(candidates.size());
    for (Slot slot : candidates) {
      double ramp = ramp(nowNanos - slot.onlineNanos);
      if (ramp >= 1.0 || random.getAsDouble() < ramp) {
        admitted.add(slot);
      }
    }
    return admitted;
  }
}
