package io.overseer.master.routing;

import java.time.Duration;

/**
 * The {@code overseer.routing} limits of one app's router.
 *
 * @param maxInFlightPerWorker requests a worker may have at once; more wait in the queue
 * @param queueSize requests that may wait for a free worker; beyond it the edge answers 503 at once
 * @param queueMaxWait how long a request may wait in the queue before it is answered 503
 * @param retryBudgetRatio retries allowed per request sent within the window
 * @param retryBudgetFloorPerSecond retries always allowed per second of the window
 * @param retryBudgetWindow how far back requests and retries count
 * @param ejectAfterFailures consecutive failures that take a worker out of rotation
 * @param ejectionBaseTime the first ejection's length; each further ejection of a worker lasts
 *     longer
 * @param maxEjectedShare at most this share of the pool is ejected at once
 * @param retryAfter the {@code Retry-After} of a 503 (no worker ready, or overloaded)
 * @param attemptTimeout how long a worker with requests outstanding may stay silent (half of it)
 *     and then leave a probe unanswered (the other half) before it is out of rotation and its
 *     idempotent requests are retried elsewhere
 * @param attemptCheckInterval how often the router looks for silent workers
 * @param slowStartWindow how long a new worker's share of the requests ramps up ({@link
 *     SlowStart}); zero: none
 * @param slowStartMinShare the share of its full share a new worker gets at first, in (0, 1]
 */
public record AdmissionSettings(
    int maxInFlightPerWorker,
    int queueSize,
    Duration queueMaxWait,
    double retryBudgetRatio,
    int retryBudgetFloorPerSecond,
    Duration retryBudgetWindow,
    int ejectAfterFailures,
    Duration ejectionBaseTime,
    double maxEjectedShare,
    Duration retryAfter,
    Duration attemptTimeout,
    Duration attemptCheckInterval,
    Duration slowStartWindow,
    double slowStartMinShare) {

  public AdmissionSettings {
    if (maxInFlightPerWorker < 1 || queueSize < 0) {
      throw new IllegalArgumentException(
          "overseer.routing: max-in-flight-per-worker >= 1 and queue.size >= 0");
    }
    SlowStart.check(slowStartWindow, slowStartMinShare);
  }

  /** Without slow start: a new worker gets its full share at once. */
  public AdmissionSettings(
      int maxInFlightPerWorker,
      int queueSize,
      Duration queueMaxWait,
      double retryBudgetRatio,
      int retryBudgetFloorPerSecond,
      Duration retryBudgetWindow,
      int ejectAfterFailures,
      Duration ejectionBaseTime,
      double maxEjectedShare,
      Duration retryAfter,
      Duration attemptTimeout,
      Duration attemptCheckInterval) {
    this(
        maxInFlightPerWorker,
        queueSize,
        queueMaxWait,
        retryBudgetRatio,
        retryBudgetFloorPerSecond,
        retryBudgetWindow,
        ejectAfterFailures,
        ejectionBaseTime,
        maxEjectedShare,
        retryAfter,
        attemptTimeout,
        attemptCheckInterval,
        Duration.ZERO,
        1.0);
  }
}
