package io.overseer.master.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes a worker whose requests keep failing out of rotation for a while: after {@code
 * consecutiveFailures} failures in a row it is ejected for {@code baseEjection} times the number of
 * times it has been ejected, but never more than {@code maxEjectedShare} of the pool at once, so a
 * pool-wide problem cannot empty the pool. A success resets the count.
 */
public final class OutlierDetector {
  private static final class State {
    volatile int consecutiveFailures;
    volatile int ejections;
    volatile Instant ejectedUntil = Instant.MIN;
  }

  private final int consecutiveFailures;
  private final Duration baseEjection;
  private final double maxEjectedShare;
  private final Map<Object, State> states = new ConcurrentHashMap<>();

  public OutlierDetector(int consecutiveFailures, Duration baseEjection, double maxEjectedShare) {
    if (consecutiveFailures < 1 || maxEjectedShare < 0 || maxEjectedShare > 1) {
      throw new IllegalArgumentException(
          "outlier ejection: consecutive-failures >= 1, max-ejected-share in 0..1");
    }
    this.consecutiveFailures = consecutiveFailures;
    this.baseEjection = baseEjection;
    this.maxEjectedShare = maxEjectedShare;
  }

  /** The hot path: cheap when the worker had no failures. */
  public void onSuccess(Object worker) {
    State state = states.get(worker);
    if (state != null && state.consecutiveFailures != 0) {
      state.consecutiveFailures = 0;
    }
  }

  /**
   * Records a failure; ejects the worker if it reached the threshold and the pool can spare it.
   *
   * @param poolSize workers in the pool now
   * @return true if this failure ejected the worker
   */
  public synchronized boolean onFailure(Object worker, int poolSize, Instant now) {
    State state = states.computeIfAbsent(worker, w -> new State());
    state.consecutiveFailures++;
    if (state.consecutiveFailures < consecutiveFailures || isEjected(worker, now)) {
      return false;
    }
    long ejectedNow = states.values().stream().filter(s -> s.ejectedUntil.isAfter(now)).count();
    if (ejectedNow + 1 > Math.floor(maxEjectedShare * poolSize)) {
      return false; // the pool cannot spare another worker
    }
    state.ejections++;
    state.ejectedUntil = now.plus(baseEjection.multipliedBy(state.ejections));
    state.consecutiveFailures = 0;
    return true;
  }

  public boolean isEjected(Object worker, Instant now) {
    State state = states.get(worker);
    return state != null && state.ejectedUntil.isAfter(now);
  }

  /** The worker left the pool: forget it. */
  public void forget(Object worker) {
    states.remove(worker);
  }
}
