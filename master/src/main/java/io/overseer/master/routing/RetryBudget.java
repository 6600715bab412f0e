package io.overseer.master.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Envoy's retry budget: retries in flight may be at most a share of the requests in flight, but
 * always at least a small floor. A crash then retries what it lost, while a failing pool cannot
 * turn every request into two (a retry storm).
 */
public final class RetryBudget {
  private final double ratio;
  private final int floor;
  private final AtomicInteger retriesInFlight = new AtomicInteger();

  /**
   * @param ratio share of active requests that may be retries at once, e.g. 0.2
   * @param floor retries always allowed at once, however few requests are active
   */
  public RetryBudget(double ratio, int floor) {
    if (ratio < 0 || floor < 0) {
      throw new IllegalArgumentException("retry budget: ratio and floor must be >= 0");
    }
    this.ratio = ratio;
    this.floor = floor;
  }

  /** Retries allowed at once while {@code activeRequests} requests are in flight. */
  public int limit(long activeRequests) {
    return Math.max(floor, (int) Math.floor(ratio * activeRequests));
  }

  /** Takes one retry from the budget if it allows; {@link #release()} it when the retry ends. */
  public boolean tryAcquire(long activeRequests) {
    int limit = limit(activeRequests);
    while (true) {
      int current = retriesInFlight.get();
      if (current >= limit) {
        return false;
      }
      if (retriesInFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public void release() {
    retriesInFlight.decrementAndGet();
  }

  public int inFlight() {
    return retriesInFlight.get();
  }
}
