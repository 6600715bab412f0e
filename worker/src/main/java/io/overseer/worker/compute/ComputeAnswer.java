package io.overseer.worker.compute;

import io.overseer.protocol.WorkerProtocol;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The answer to a {@link WorkerProtocol.Compute}: the worker actor's compute path, and the warm-up
 * that drives the same code before the worker is routable ({@code io.overseer.worker.warmup}).
 */
public final class ComputeAnswer {
  private ComputeAnswer() {}

  /**
   * @param cancelled true once the master no longer wants the result
   * @param startNanos when the work began ({@code System.nanoTime()}): the deadline counts from it
   */
  public static WorkerProtocol.Reply of(
      WorkerProtocol.Compute request,
      BooleanSupplier cancelled,
      long startNanos,
      String workerId,
      long pid) {
    long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
    try {
      Optional<BigInteger> sum =
          SumCalculator.sumBelow(
              request.n(), () -> cancelled.getAsBoolean() || System.nanoTime() - deadlineNanos > 0);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      return sum.<WorkerProtocol.Reply>map(
              value ->
                  new WorkerProtocol.Computed(
                      request.requestId(), request.n(), value.toString(), workerId, pid, millis))
          .orElseGet(
              () ->
                  new WorkerProtocol.ComputeFailed(
                      request.requestId(),
                      workerId,
                      cancelled.getAsBoolean()
                          ? "cancelled"
                          : WorkerProtocol.ComputeFailed.DEADLINE_EXCEEDED));
    } catch (RuntimeException e) {
      return new WorkerProtocol.ComputeFailed(request.requestId(), workerId, e.toString());
    }
  }
}
