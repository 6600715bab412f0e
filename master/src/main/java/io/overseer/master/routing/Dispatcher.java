package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Sends requests to one app's ready workers and matches their replies. The hot path creates no
 * actor per request: one long-lived {@link ReplyInbox} receives every reply. The router knows each
 * worker's outstanding requests (for the strategies and the per-worker cap), queues requests when
 * every worker is full (bounded: beyond it, 503 at once), fails a lost worker's requests at once
 * and retries the idempotent ones on another worker within the retry budget, and ejects workers
 * whose requests keep failing.
 */
public final class Dispatcher implements RoutingTable {

  /** A worker as the router tracks it. */
  static final class Slot implements Candidate {
    final RoutableWorker worker;
    final AtomicInteger outstanding = new AtomicInteger();
    volatile int weight;

    Slot(RoutableWorker worker, int weight) {
      this.worker = worker;
      this.weight = weight;
    }

    @Override public Object key() { return worker.ref(); }
    @Override public int weight() { return weight; }
    @Override public int outstanding() { return outstanding.get(); }
  }

  /** One attempt of a request on one worker. */
  private record Attempt(Request request, Slot slot) {}

  private final AdmissionSettings admission;
  private final Clock clock;
  private final RetryBudget retryBudget;
  private final OutlierDetector outliers;
  private final AdmissionQueue queue;
  private final AtomicLong attemptIds = new AtomicLong();
  private final Map<Long, Attempt> inFlight = new ConcurrentHashMap<>();
  private final Map<ActorRef<WorkerProtocol.Command>, Slot> slots = new ConcurrentHashMap<>();
  private final Map<ActorRef<WorkerProtocol.Command>, CompletableFuture<Void>> idleWaiters = new ConcurrentHashMap<>();
  private final Map<String, Integer> weightOverrides = new ConcurrentHashMap<>();
  /** Copy-on-write: readers pick from a snapshot without locking. */
  private volatile List<Slot> ready = List.of();
  private final int defaultWeight;
  private ActorRef<WorkerProtocol.Reply> inbox;

  /**
   * @param defaultWeight the app's weight, for workers without one of their own
   * @param workerWeights weights of particular workers, by worker id (from config)
   */
  public Dispatcher(AdmissionSettings admission, int defaultWeight, Map<String, Integer> workerWeights, Clock clock) {
    this.admission = admission;
    this.weightOverrides.putAll(workerWeights);
    this.defaultWeight = defaultWeight;
    this.clock = clock;
    this.retryBudget = new RetryBudget(admission.retryBudgetRatio(), admission.retryBudgetFloorPerSecond(),
        admission.retryBudgetWindow(), clock);
    this.outliers = new OutlierDetector(admission.ejectAfterFailures(), admission.ejectionBaseTime(),
        admission.maxEjectedShare());
    this.queue = new AdmissionQueue(admission.queueSize(), admission.queueMaxWait(), admission.retryAfter(),
        this::send);
  }

  /** Sets where workers send their replies: a {@link ReplyInbox} that calls {@link #onReply}. */
  public void attach(ActorRef<WorkerProtocol.Reply> inbox) {
    this.inbox = inbox;
  }

  /** The workers requests may go to now. */
  public List<RoutableWorker> readyWorkers() {
    return ready.stream().map(s -> s.worker).toList();
  }

  /** Requests currently waiting for this worker's answer. */
  public int inFlightCount(ActorRef<WorkerProtocol.Command> worker) {
    Slot slot = slots.get(worker);
    return slot == null ? 0 : slot.outstanding.get();
  }

  /** Sums 0..n-1 on a worker chosen by the route's strategy; fails with a {@link RoutingFailure}. */
  public CompletionStage<WorkerProtocol.Reply> compute(long n, RouteSettings route) {
    return dispatch((id, timeoutMillis, replyTo) -> new WorkerProtocol.Compute(id, n, timeoutMillis, replyTo), route);
  }

  /** Sends a request to a worker chosen by the route's strategy; fails with a {@link RoutingFailure}. */
  public CompletionStage<WorkerProtocol.Reply> dispatch(WorkerRequest work, RouteSettings route) {
    Request request = new Request(work, route, System.nanoTime() + route.timeout().toNanos());
    // The deadline timer is cancelled when the request settles (orTimeout's own canceller): a
    // timer left pending per request would pile up millions of tasks under load.
    CompletableFuture<Void> deadline = new CompletableFuture<Void>()
        .orTimeout(route.timeout().toMillis(), TimeUnit.MILLISECONDS);
    deadline.whenComplete((ignored, timedOut) -> {
      if (timedOut != null) {
        expire(request);
      }
    });
    request.result.whenComplete((reply, error) -> {
      deadline.complete(null);
      onSettled(request, error);
    });
    retryBudget.recordRequest();
    send(request);
    return request.result;
  }

  /** Sends (or queues) a request: called for first attempts, retries and requests leaving the queue. */
  private void send(Request request) {
    while (!request.result.isDone()) {
      List<Slot> candidates = withCapacity(ready);
      if (candidates.isEmpty()) {
        if (ready.isEmpty()) {
          request.result.completeExceptionally(new RoutingFailure.NoWorkerReady(admission.retryAfter()));
        } else if (!queue.offer(request)) {
          request.result.completeExceptionally(new RoutingFailure.Overloaded(admission.retryAfter()));
        }
        return;
      }
      Slot slot = candidates.get(request.route.strategy().pick(candidates));
      long attemptId = attemptIds.incrementAndGet();
      slot.outstanding.incrementAndGet();
      inFlight.put(attemptId, new Attempt(request, slot));
      // A drain can land between the pick and the record above, and its idle check would then
      // miss this attempt: check again after recording, and pick another worker if so.
      if (!ready.contains(slot)) {
        release(attemptId);
        continue;
      }
      request.attemptId = attemptId;
      long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(request.deadlineNanos - System.nanoTime()));
      slot.worker.ref().tell(request.work.create(attemptId, remainingMillis, inbox));
      return;
    }
  }

  private List<Slot> withCapacity(List<Slot> pool) {
    var now = clock.instant();
    List<Slot> candidates = new ArrayList<>(pool.size());
    for (Slot slot : pool) {
      if (slot.outstanding.get() < admission.maxInFlightPerWorker() && !outliers.isEjected(slot.key(), now)) {
        candidates.add(slot);
      }
    }
    return candidates;
  }

  /** Ends an attempt's bookkeeping; returns it if it was still in flight. */
  private Attempt release(long attemptId) {
    Attempt attempt = inFlight.remove(attemptId);
    if (attempt != null) {
      attempt.slot.outstanding.decrementAndGet();
      signalIfIdle(attempt.slot.worker.ref());
      queue.drainInto(this::hasCapacity);
    }
    return attempt;
  }

  private boolean hasCapacity() {
    return !withCapacity(ready).isEmpty();
  }

  /** A worker's answer to an attempt; thread-safe, called on the thread that delivers it. */
  public void onReply(WorkerProtocol.Reply reply) {
    Attempt attempt = release(reply.requestId());
    if (attempt == null) {
      return; // the request timed out or was retried elsewhere
    }
    if (reply instanceof WorkerProtocol.ComputeFailed) {
      outliers.onFailure(attempt.slot.key(), ready.size(), clock.instant());
    } else {
      outliers.onSuccess(attempt.slot.key());
    }
    attempt.request.result.complete(reply);
  }

  /** The deadline passed: the client gets 504, naming the worker that had the request, if any. */
  private void expire(Request request) {
    if (!request.result.isDone()) {
      Attempt attempt = inFlight.get(request.attemptId);
      request.result.completeExceptionally(
          new RoutingFailure.DeadlineExceeded(attempt == null ? "(none: still queued)" : attempt.slot.worker.workerId()));
    }
  }

  /** The request is answered, failed or timed out: tidy up its attempt and its place in the queue. */
  private void onSettled(Request request, Throwable error) {
    Attempt attempt = release(request.attemptId);
    if (attempt != null && error instanceof RoutingFailure.DeadlineExceeded) {
      attempt.slot.worker.ref().tell(new WorkerProtocol.Cancel(request.attemptId));
      outliers.onFailure(attempt.slot.key(), ready.size(), clock.instant());
    }
    queue.remove(request);
  }

  // ---- the routing table, driven by the supervisor -------------------------------------------

  @Override
  public synchronized void online(RoutableWorker worker) {
    Slot slot = slots.computeIfAbsent(worker.ref(),
        ref -> new Slot(worker, weightOverrides.getOrDefault(worker.workerId(), defaultWeight)));
    List<Slot> next = new ArrayList<>(ready);
    if (!next.contains(slot)) {
      next.add(slot);
    }
    ready = List.copyOf(next);
    queue.drainInto(this::hasCapacity);
  }

  @Override
  public synchronized void drain(ActorRef<WorkerProtocol.Command> worker) {
    List<Slot> next = new ArrayList<>(ready);
    next.removeIf(slot -> slot.worker.ref().equals(worker));
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

  /**
   * The worker is gone: its requests fail at once, except idempotent ones, which get one more try
   * on another worker if the retry budget allows.
   */
  @Override
  public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {
    drain(worker);
    for (Map.Entry<Long, Attempt> entry : inFlight.entrySet()) {
      Attempt attempt = entry.getValue();
      if (attempt.slot.worker.ref().equals(worker) && release(entry.getKey()) != null) {
        retryOrFail(attempt, reason);
      }
    }
    slots.remove(worker);
    outliers.forget(worker);
  }

  private void retryOrFail(Attempt attempt, String reason) {
    Request request = attempt.request;
    boolean mayRetry = request.route.idempotent() && !request.retried && retryBudget.tryAcquire();
    if (mayRetry) {
      request.retried = true;
      send(request);
    } else {
      request.result.completeExceptionally(
          new RoutingFailure.WorkerLost(attempt.slot.worker.workerId(), reason, request.route.idempotent()));
    }
  }

  /**
   * Sets a worker's weight at run time (by worker id); applies from the next pick.
   *
   * @return false if no worker with that id is routed by this dispatcher
   */
  public boolean setWeight(String workerId, int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, got " + weight);
    }
    List<Slot> matching = slots.values().stream().filter(s -> s.worker.workerId().equals(workerId)).toList();
    if (matching.isEmpty()) {
      return false;
    }
    weightOverrides.put(workerId, weight);
    matching.forEach(s -> s.weight = weight);
    return true;
  }
}
