package io.overseer.worker.bff;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breaker of one upstream {@code host:port}: closed (calls pass, consecutive host faults are
 * counted), open (calls fail at once with {@code circuit open} until the reset timeout has passed),
 * half-open (one trial call passes; its success closes the breaker, its failure opens it again).
 *
 * <p>Kept rather than Pekko's {@code org.apache.pekko.pattern.CircuitBreaker} (measured and weighed
 * in BENCHMARKS.md, "BFF circuit breaker"), for reasons other than cost:
 *
 * <ul>
 *   <li>Pekko's needs a classic {@code Scheduler}: its open-to-half-open step and its call-timeout
 *       are scheduled tasks. The engine is built and checked before the worker's actor system
 *       exists (a broken route stops the worker with its exit code before it joins the cluster),
 *       and its tests build engines without one; Pekko's would mean building the engine inside the
 *       worker's guardian and an actor system in every engine test.
 *   <li>Its call-timeout fails the returned future but leaves the HTTP exchange running, and is one
 *       value per breaker. {@link UpstreamHttp} bounds each attempt by the route's remaining
 *       deadline too and cancels the exchange, so Pekko's would run with its call-timeout off and
 *       only count, which is what these few lines do.
 *   <li>Its state follows the scheduler's clock, so a test needs a manual scheduler; this one reads
 *       an injected clock that {@code CircuitBreakerTest} steps by the nanosecond.
 * </ul>
 *
 * Cost decides nothing (bench/breaker.sh): 13-42 ns a call here, 129-192 ns through Pekko's
 * (545-964 ns with its call-timeout on), next to a loopback upstream call of ~0.43 ms.
 */
final class CircuitBreaker {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String host;
  private final int maxFailures;
  private final long resetNanos;
  private final LongSupplier nanoTime;

  private State state = State.CLOSED;
  private int failures;
  private long openedAt;
  private boolean trialInFlight;

  CircuitBreaker(String host, int maxFailures, Duration resetTimeout, LongSupplier nanoTime) {
    this.host = host;
    this.maxFailures = maxFailures;
    this.resetNanos = resetTimeout.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Asks to make one call. A {@code true} answer must be followed by exactly one {@link
   * #onSuccess()} or {@link #onFailure()}, or a half-open breaker would wait for its trial forever.
   */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoTime.getAsLong() - openedAt < resetNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        log.info("circuit half-open, trying one call: host={}", host);
        trialInFlight = true;
        return true;
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  /** The host answered (even with 4xx or bad JSON: it is up). */
  synchronized void onSuccess() {
    if (state != State.CLOSED) {
      log.info("circuit closed: host={}", host);
    }
    state = State.CLOSED;
    failures = 0;
    trialInFlight = false;
  }

  /** The host failed: refused, reset, timed out or answered 5xx. */
  synchronized void onFailure() {
    failures++;
    if (state == State.HALF_OPEN || (state == State.CLOSED && failures >= maxFailures)) {
      log.warn(
          "circuit open: host={} consecutive-failures={} reset-after={}ms",
          host,
          failures,
          resetNanos / 1_000_000);
      state = State.OPEN;
      openedAt = nanoTime.getAsLong();
      trialInFlight = false;
    }
  }

  synchronized State state() {
    return state;
  }
}
