package io.overseer.master.routing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Requests waiting for a worker with room, first come first served. Bounded twice: in length (a
 * full queue refuses at once, so the master's memory stays bounded under overload) and in time (a
 * request that waited {@code maxWait} is answered 503 instead of waiting on).
 */
final class AdmissionQueue {
  private final int capacity;
  private final Duration maxWait;
  private final Duration retryAfter;
  private final Consumer<Request> dispatch;
  private final ConcurrentLinkedQueue<Request> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();

  AdmissionQueue(int capacity, Duration maxWait, Duration retryAfter, Consumer<Request> dispatch) {
    this.retryAfter = retryAfter;
    this.capacity = capacity;
    this.maxWait = maxWait;
    this.dispatch = dispatch;
  }

  /**
   * @return false if the queue is full: the caller answers 503 at once
   */
  boolean offer(Request request) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return false;
    }
    request.queued.set(true);
    waiting.add(request);
    CompletableFuture.delayedExecutor(maxWait.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (take(request)) {
                request.result.completeExceptionally(new RoutingFailure.Overloaded(retryAfter));
              }
            });
    return true;
  }

  /** Hands waiting requests to the router while workers have room. */
  void drainInto(BooleanSupplier hasCapacity) {
    while (size.get() > 0 && hasCapacity.getAsBoolean()) {
      Request next = waiting.poll();
      if (next == null) {
        return;
      }
      if (next.queued.compareAndSet(true, false)) {
        size.decrementAndGet();
        dispatch.accept(next);
      }
    }
  }

  /** Takes a request out if it is still waiting (it timed out or was answered otherwise). */
  void remove(Request request) {
    take(request);
  }

  private boolean take(Request request) {
    if (request.queued.compareAndSet(true, false)) {
      waiting.remove(request);
      size.decrementAndGet();
      return true;
    }
    return false;
  }

  int size() {
    return size.get();
  }
}
