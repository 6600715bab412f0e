package io.overseer.master.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A retry budget in the manner of Envoy's and Finagle's: within a sliding window, retries may be at
 * most {@code ratio} of the requests sent, plus {@code floorPerSecond} per second so that a quiet
 * service can still retry. A crash then retries what it lost, while a failing pool cannot turn
 * every request into two (a retry storm). Counts are kept in one-second buckets, lock-free; a
 * bucket being reset while counted may lose a count, which only errs by one request or retry.
 */
public final class RetryBudget {
  private final double ratio;
  private final long floorPerSecond;
  private final int seconds;
  private final Clock clock;
  private final AtomicLongArray stamps;
  private final AtomicLongArray requests;
  private final AtomicLongArray retries;

  /**
   * @param ratio retries allowed per request sent in the window, e.g. 0.2
   * @param floorPerSecond retries always allowed per second of the window
   * @param window how far back requests and retries count
   */
  public RetryBudget(double ratio, long floorPerSecond, Duration window, Clock clock) {
    if (ratio < 0 || floorPerSecond < 0 || window.toSeconds() < 1) {
      throw new IllegalArgumentException("retry budget: ratio >= 0, floor >= 0, window >= 1s");
    }
    this.ratio = ratio;
    this.floorPerSecond = floorPerSecond;
    this.seconds = (int) window.toSeconds();
    this.clock = clock;
    this.stamps = new AtomicLongArray(seconds);
    this.requests = new AtomicLongArray(seconds);
    this.retries = new AtomicLongArray(seconds);
  }

  /** Counts a first attempt (the hot path: one atomic add). */
  public void recordRequest() {
    requests.incrementAndGet(bucket());
  }

  /** Retries the window allows in total, given its requests. */
  public long limit() {
    return (long) Math.floor(ratio * sum(requests)) + floorPerSecond * seconds;
  }

  /** Takes one retry from the budget if it allows. */
  public boolean tryAcquire() {
    int bucket = bucket();
    if (sum(retries) >= limit()) {
      return false;
    }
    retries.incrementAndGet(bucket);
    return true;
  }

  /** The bucket of the current second, emptied first if it still holds an older second's counts. */
  private int bucket() {
    long second = clock.millis() / 1000;
    int index = (int) (second % seconds);
    long stamp = stamps.get(index);
    if (stamp != second && stamps.compareAndSet(index, stamp, second)) {
      requests.set(index, 0);
      retries.set(index, 0);
    }
    return index;
  }

  private long sum(AtomicLongArray counts) {
    long oldest = clock.millis() / 1000 - seconds + 1;
    long total = 0;
    for (int i = 0; i < seconds; i++) {
      if (stamps.get(i) >= oldest) {
        total += counts.get(i);
      }
    }
    return total;
  }
}
