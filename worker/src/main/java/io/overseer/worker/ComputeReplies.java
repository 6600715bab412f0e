package io.overseer.worker;

import io.overseer.protocol.WorkerProtocol;
import io.overseer.worker.compute.SumCalculator;
import io.overseer.worker.faults.FaultInjection;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A compute request's answer: the sum, or why there is none (cancelled, deadline, failure). */
final class ComputeReplies {
  private ComputeReplies() {}

  /**
   * Sums below {@code request.n()} until done, cancelled or past the request's deadline, on the
   * calling thread (the actor's for tiny jobs, the compute dispatcher's for the rest).
   */
  static WorkerProtocol.Reply sum(
      WorkerProtocol.Compute request,
      AtomicBoolean cancelled,
      WorkerActor.Identity identity,
      FaultInjection faults) {
    long startNanos = System.nanoTime();
    faults.delayJob();
    long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
    WorkerProtocol.Reply reply;
    try {
      Optional<BigInteger> sum =
          SumCalculator.sumBelow(
              request.n(), () -> cancelled.get() || System.nanoTime() - deadlineNanos > 0);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      reply =
          sum.<WorkerProtocol.Reply>map(
                  value ->
                      new WorkerProtocol.Computed(
                          request.requestId(),
                          request.n(),
                          value.toString(),
                          identity.workerId(),
                          identity.pid(),
                          millis))
              .orElseGet(
                  () ->
                      new WorkerProtocol.ComputeFailed(
                          request.requestId(),
                          identity.workerId(),
                          cancelled.get()
                              ? "cancelled"
                              : WorkerProtocol.ComputeFailed.DEADLINE_EXCEEDED));
    } catch (RuntimeException e) {
      reply =
          new WorkerProtocol.ComputeFailed(request.requestId(), identity.workerId(), e.toString());
    }
    return reply;
  }
}
