package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Which requests of a lost or silent worker get one more try on another worker: idempotent ones,
 * never twice, and only within the {@link RetryBudget} (so that retries cannot multiply the load of
 * a pool that is failing as a whole). Part of {@link WorkerRouter}, under its threading contract.
 */
final class SecondTries {
  private final RetryBudget budget;
  private final InFlightAttempts inFlight;
  private final LongFunction<InFlightAttempts.Attempt> release;
  private final Consumer<Request> send;
  private final Supplier<RouterMetrics> metrics;

  /**
   * @param release ends an attempt's bookkeeping, returns null if another thread already did
   * @param send sends a request again (or queues it)
   */
  SecondTries(
      AdmissionSettings admission,
      Clock clock,
      InFlightAttempts inFlight,
      LongFunction<InFlightAttempts.Attempt> release,
      Consumer<Request> send,
      Supplier<RouterMetrics> metrics) {
    this.budget =
        new RetryBudget(
            admission.retryBudgetRatio(),
            admission.retryBudgetFloorPerSecond(),
            admission.retryBudgetWindow(),
            clock);
    this.inFlight = inFlight;
    this.release = release;
    this.send = send;
    this.metrics = metrics;
  }

  /** A first attempt: the budget allows retries in proportion to requests. */
  void recordRequest() {
    budget.recordRequest();
  }

  /**
   * The worker is suspect: its idempotent attempts are retried elsewhere within the retry budget
   * (Envoy's per-try timeout), and told to stop; the others wait for their deadline or the worker's
   * removal, since they may have run, and so do the attempts it acknowledged by answering a later
   * probe (long jobs in progress: not started over because of a pause).
   */
  void onSilent(Slot slot) {
    for (Map.Entry<Long, InFlightAttempts.Attempt> entry : inFlight.entries()) {
      Request request = entry.getValue().request();
      if (entry.getValue().slot() == slot
          && !slot.vouchedFor(entry.getValue().sentNanos())
          && mayRetry(request)
          && release.apply(entry.getKey()) != null) {
        slot.worker.ref().tell(new WorkerProtocol.Cancel(entry.getKey()));
        retry(request, slot);
      }
    }
  }

  /**
   * The attempt's worker is gone (its attempt already released): the request is sent again, or
   * fails with {@link RoutingFailure.WorkerLost}.
   */
  void onLost(InFlightAttempts.Attempt attempt, String reason) {
    Request request = attempt.request();
    if (mayRetry(request)) {
      retry(request, attempt.slot());
    } else {
      request.result.completeExceptionally(
          new RoutingFailure.WorkerLost(
              attempt.slot().worker.workerId(), reason, request.route.idempotent()));
    }
  }

  private boolean mayRetry(Request request) {
    return request.route.idempotent() && !request.retried && budget.tryAcquire();
  }

  private void retry(Request request, Slot from) {
    request.retried = true;
    metrics.get().retried(request.route.name(), from.worker.workerId());
    send.accept(request);
  }
}
