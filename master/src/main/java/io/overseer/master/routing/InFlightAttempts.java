package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A router's attempts sent and not yet finished, by attempt id, and the drains waiting for a worker
 * to have none left. Thread-safe without a lock: whoever removes an attempt ({@link #release})
 * finishes it, so a worker's outstanding count goes down exactly once per attempt (see {@link
 * WorkerRouter}'s threading contract).
 */
final class InFlightAttempts {

  /** One attempt of a request on one worker. */
  record Attempt(Request request, Slot slot, long sentNanos) implements SilenceWatch.Outstanding {}

  /** Attempt ids and probe ids both: a reply's id then finds either without ambiguity. */
  private final AtomicLong ids = new AtomicLong();

  private final Map<Long, Attempt> inFlight = new ConcurrentHashMap<>();
  private final Map<ActorRef<WorkerProtocol.Command>, CompletableFuture<Void>> idleWaiters =
      new ConcurrentHashMap<>();

  long nextId() {
    return ids.incrementAndGet();
  }

  /** Counts the attempt on its worker, then makes it visible. */
  void record(long attemptId, Attempt attempt) {
    attempt.slot().outstanding.incrementAndGet();
    inFlight.put(attemptId, attempt);
  }

  Attempt get(long attemptId) {
    return inFlight.get(attemptId);
  }

  int size() {
    return inFlight.size();
  }

  Collection<Attempt> all() {
    return inFlight.values();
  }

  Set<Map.Entry<Long, Attempt>> entries() {
    return inFlight.entrySet();
  }

  /** Ends an attempt's bookkeeping; returns it if it was still in flight (null: another did). */
  Attempt release(long attemptId) {
    Attempt attempt = inFlight.remove(attemptId);
    if (attempt != null) {
      attempt.slot().outstanding.decrementAndGet();
      signalIfIdle(attempt.slot().worker.ref(), attempt.slot().outstanding.get());
    }
    return attempt;
  }

  /**
   * @param outstanding the worker's attempts in flight, read after the waiter is registered: an
   *     attempt released in between then either sees the waiter or is not counted
   */
  CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker, IntSupplier outstanding) {
    CompletableFuture<Void> idle =
        idleWaiters.computeIfAbsent(worker, w -> new CompletableFuture<>());
    signalIfIdle(worker, outstanding.getAsInt()); // it may be idle already
    return idle;
  }

  private void signalIfIdle(ActorRef<WorkerProtocol.Command> worker, int outstanding) {
    CompletableFuture<Void> waiter = idleWaiters.get(worker);
    if (waiter != null && outstanding == 0) {
      idleWaiters.remove(worker, waiter);
      waiter.complete(null);
    }
  }
}
