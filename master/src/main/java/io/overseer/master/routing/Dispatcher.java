package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Sends requests to ready workers and matches their replies. The hot path creates no actor per
 * request: one long-lived inbox actor receives every reply and completes the waiting future, and
 * the table of requests in flight lets a dead worker's requests fail at once instead of at their
 * timeout.
 */
public final class Dispatcher implements RoutingTable {

  private record InFlight(String workerId, ActorRef<WorkerProtocol.Command> worker,
                          CompletableFuture<WorkerProtocol.ComputeReply> reply) {}

  private final RoundRobin roundRobin = new RoundRobin();
  private final AtomicLong requestIds = new AtomicLong();
  private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
  /** Supervisors waiting for a drained worker's last request to finish. */
  private final Map<ActorRef<WorkerProtocol.Command>, CompletableFuture<Void>> idleWaiters =
      new ConcurrentHashMap<>();
  /** Copy-on-write: readers pick from a snapshot without locking. */
  private volatile List<RoutableWorker> ready = List.of();
  private ActorRef<WorkerProtocol.ComputeReply> inbox;

  /** The behaviour of the reply inbox; spawn it once and pass its ref to {@link #attach}. */
  public Behavior<WorkerProtocol.ComputeReply> inboxBehavior() {
    return Behaviors.receive(WorkerProtocol.ComputeReply.class)
        .onAnyMessage(
            reply -> {
              complete(reply);
              return Behaviors.same();
            })
        .build();
  }

  public void attach(ActorRef<WorkerProtocol.ComputeReply> inbox) {
    this.inbox = inbox;
  }

  /** The workers requests may go to now. */
  public List<RoutableWorker> readyWorkers() {
    return ready;
  }

  /** Requests currently waiting for this worker's answer. */
  public long inFlightCount(ActorRef<WorkerProtocol.Command> worker) {
    return inFlight.values().stream().filter(f -> f.worker().equals(worker)).count();
  }

  /**
   * Sums 0..n-1 on the next worker in turn.
   *
   * @return completes with the worker's reply, or fails with a {@link RoutingFailure}
   */
  public CompletionStage<WorkerProtocol.ComputeReply> compute(long n, Duration timeout) {
    long requestId = requestIds.incrementAndGet();
    CompletableFuture<WorkerProtocol.ComputeReply> reply = new CompletableFuture<>();
    RoutableWorker worker = register(requestId, reply);
    if (worker == null) {
      return CompletableFuture.failedFuture(new RoutingFailure.NoWorkerReady());
    }
    worker.ref().tell(new WorkerProtocol.Compute(requestId, n, timeout.toMillis(), inbox));
    return reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((value, error) -> settle(requestId, worker, value, error));
  }

  /**
   * Picks a worker and records the request as in flight on it. A drain can land between the pick
   * and the record, and its idle check would then miss this request: so the pick is checked again
   * after recording, and a drained worker is swapped for another ready one.
   *
   * @return the chosen worker, or null when none is ready
   */
  private RoutableWorker register(long requestId, CompletableFuture<WorkerProtocol.ComputeReply> reply) {
    while (true) {
      List<RoutableWorker> candidates = ready;
      if (candidates.isEmpty()) {
        return null;
      }
      RoutableWorker worker = candidates.get(roundRobin.pick(candidates.size()));
      inFlight.put(requestId, new InFlight(worker.workerId(), worker.ref(), reply));
      if (ready.contains(worker)) {
        return worker;
      }
      inFlight.remove(requestId);
      signalIfIdle(worker.ref());
    }
  }

  private WorkerProtocol.ComputeReply settle(
      long requestId, RoutableWorker worker, WorkerProtocol.ComputeReply value, Throwable error) {
    inFlight.remove(requestId);
    signalIfIdle(worker.ref());
    if (error instanceof TimeoutException) {
      worker.ref().tell(new WorkerProtocol.Cancel(requestId));
      throw new RoutingFailure.DeadlineExceeded(worker.workerId());
    }
    if (error instanceof RuntimeException runtime) {
      throw runtime;
    }
    return value;
  }

  private void complete(WorkerProtocol.ComputeReply reply) {
    InFlight waiting = inFlight.get(reply.requestId());
    if (waiting != null) {
      waiting.reply().complete(reply);
    }
  }

  @Override
  public synchronized void online(RoutableWorker worker) {
    List<RoutableWorker> next = new ArrayList<>(ready);
    next.removeIf(w -> w.ref().equals(worker.ref()));
    next.add(worker);
    ready = List.copyOf(next);
  }

  @Override
  public synchronized void drain(ActorRef<WorkerProtocol.Command> worker) {
    List<RoutableWorker> next = new ArrayList<>(ready);
    next.removeIf(w -> w.ref().equals(worker));
    ready = List.copyOf(next);
  }

  @Override
  public CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker) {
    CompletableFuture<Void> idle = idleWaiters.computeIfAbsent(worker, w -> new CompletableFuture<>());
    signalIfIdle(worker); // it may be idle already
    return idle;
  }

  private void signalIfIdle(ActorRef<WorkerProtocol.Command> worker) {
    CompletableFuture<Void> waiter = idleWaiters.get(worker);
    if (waiter != null && inFlightCount(worker) == 0) {
      idleWaiters.remove(worker, waiter);
      waiter.complete(null);
    }
  }

  @Override
  public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {
    drain(worker);
    inFlight.values().stream()
        .filter(f -> f.worker().equals(worker))
        .forEach(f -> f.reply().completeExceptionally(new RoutingFailure.WorkerLost(f.workerId(), reason)));
  }
}
