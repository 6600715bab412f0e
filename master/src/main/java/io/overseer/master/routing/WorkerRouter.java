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
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Sends requests to one app's ready workers and matches their replies. The hot path creates no
 * actor per request: one long-lived {@link ReplyInbox} receives every reply. The router knows each
 * worker's outstanding requests (for the strategies and the per-worker cap), queues requests when
 * every worker is full (bounded: beyond it, 503 at once), fails a lost worker's requests at once
 * and retries the idempotent ones on another worker within the retry budget, ejects workers whose
 * requests keep failing, and takes a worker that went silent out of rotation within the per-attempt
 * timeout ({@link SilenceWatch}) instead of waiting for the failure detector. (Not a Pekko
 * dispatcher: it runs no threads of its own.)
 *
 * <p>Every method may be called from any thread at the same time, with no lock on the request path:
 * the threading contract, and why it is safe, is in this package's documentation ({@code
 * package-info.java}).
 */
public final class WorkerRouter implements RoutingTable {

  private final AdmissionSettings admission;
  private final Clock clock;
  private final SecondTries secondTries;
  private final OutlierDetector outliers;
  private final SilenceWatch silence;
  private final LongSupplier nanoClock;
  private final AdmissionQueue queue;
  private final InFlightAttempts inFlight = new InFlightAttempts();
  private final Map<ActorRef<WorkerProtocol.Command>, Slot> slots = new ConcurrentHashMap<>();
  private final WorkerWeights weights;
  private final SlowStart slowStart;

  /** Copy-on-write: readers pick from a snapshot without locking. */
  private volatile List<Slot> ready = List.of();

  private ActorRef<WorkerProtocol.Reply> inbox;

  /** Set once at wiring, before the first request; volatile all the same (read by any thread). */
  private volatile RouterMetrics metrics = RouterMetrics.NONE;

  /**
   * @param defaultWeight the app's weight, for workers without one of their own
   * @param workerWeights weights of particular workers, by worker id (from config)
   */
  public WorkerRouter(
      AdmissionSettings admission,
      int defaultWeight,
      Map<String, Integer> workerWeights,
      Clock clock) {
    this(admission, defaultWeight, workerWeights, clock, System::nanoTime);
  }

  /**
   * @param nanoClock the monotonic clock of the per-attempt timeout ({@code System::nanoTime}; a
   *     manual one in tests)
   */
  WorkerRouter(
      AdmissionSettings admission,
      int defaultWeight,
      Map<String, Integer> workerWeights,
      Clock clock,
      LongSupplier nanoClock) {
    this(
        admission,
        defaultWeight,
        workerWeights,
        clock,
        nanoClock,
        new SlowStart(admission.slowStartWindow(), admission.slowStartMinShare()));
  }

  /** As above, with the slow start's random draws set by a test. */
  WorkerRouter(
      AdmissionSettings admission,
      int defaultWeight,
      Map<String, Integer> workerWeights,
      Clock clock,
      LongSupplier nanoClock,
      SlowStart slowStart) {
    this.admission = admission;
    this.slowStart = slowStart;
    this.nanoClock = nanoClock;
    this.secondTries =
        new SecondTries(admission, clock, inFlight, this::release, this::send, () -> metrics);
    this.silence =
        new SilenceWatch(
            admission.attemptTimeout(),
            this::probe,
            this::canSpare,
            secondTries::onSilent,
            this::drainQueue);
    this.weights = new WorkerWeights(defaultWeight, workerWeights);
    this.clock = clock;
    this.outliers =
        new OutlierDetector(
            admission.ejectAfterFailures(),
            admission.ejectionBaseTime(),
            admission.maxEjectedShare());
    this.queue =
        new AdmissionQueue(
            admission.queueSize(), admission.queueMaxWait(), admission.retryAfter(), this::send);
  }

  /** Sets where workers send their replies: a {@link ReplyInbox} that calls {@link #onReply}. */
  public void attach(ActorRef<WorkerProtocol.Reply> inbox) {
    this.inbox = inbox;
  }

  /** Where the router reports its requests, retries and ejections (the master's metrics). */
  public void measure(RouterMetrics metrics) {
    this.metrics = metrics;
  }

  /** The workers requests may go to now (a silent one is not among them). */
  public List<RoutableWorker> readyWorkers() {
    return ready.stream().filter(s -> !s.suspect).map(s -> s.worker).toList();
  }

  /** Requests currently waiting for this worker's answer. */
  public int inFlightCount(ActorRef<WorkerProtocol.Command> worker) {
    Slot slot = slots.get(worker);
    return slot == null ? 0 : slot.outstanding.get();
  }

  /** Attempts not yet answered, on every worker; for tests of the bookkeeping. */
  int attemptsInFlight() {
    return inFlight.size();
  }

  /** Requests waiting in the admission queue; for tests of the bookkeeping. */
  int queued() {
    return queue.size();
  }

  /**
   * Sums 0..n-1 on a worker chosen by the route's strategy; fails with a {@link RoutingFailure}.
   */
  public CompletionStage<WorkerProtocol.Reply> compute(long n, RouteSettings route) {
    return compute(n, route, "");
  }

  /**
   * As {@link #compute(long, RouteSettings)}, for the request of that id ({@code X-Request-Id}).
   */
  public CompletionStage<WorkerProtocol.Reply> compute(
      long n, RouteSettings route, String correlationId) {
    return dispatch(
        (id, timeoutMillis, replyTo) ->
            new WorkerProtocol.Compute(id, correlationId, n, timeoutMillis, replyTo),
        route);
  }

  /**
   * Sends a request to a worker chosen by the route's strategy; fails with a {@link
   * RoutingFailure}.
   */
  public CompletionStage<WorkerProtocol.Reply> dispatch(WorkerRequest work, RouteSettings route) {
    Request request = new Request(work, route, System.nanoTime());
    metrics.started(route.name()); // before anything can settle it
    // The deadline timer is cancelled when the request settles (orTimeout's own canceller): a
    // timer left pending per request would pile up millions of tasks under load.
    CompletableFuture<Void> deadline =
        new CompletableFuture<Void>().orTimeout(route.timeout().toMillis(), TimeUnit.MILLISECONDS);
    deadline.whenComplete(
        (ignored, timedOut) -> {
          if (timedOut != null) {
            expire(request);
          }
        });
    // The caller gets a future completed after the metrics are recorded: a scrape right after an
    // answer counts it (CompletableFuture runs dependents last-registered first, so the caller's
    // callbacks on request.result itself would run before these).
    CompletableFuture<WorkerProtocol.Reply> answered = new CompletableFuture<>();
    request.result.whenComplete(
        (reply, error) -> {
          deadline.complete(null);
          onSettled(request, error);
          metrics.settled(
              route.name(), request.workerId, reply, error, System.nanoTime() - request.startNanos);
          if (error != null) {
            answered.completeExceptionally(error);
          } else {
            answered.complete(reply);
          }
        });
    secondTries.recordRequest();
    send(request);
    return answered;
  }

  /**
   * Sends (or queues) a request: called for first attempts, retries and requests leaving the queue.
   */
  private void send(Request request) {
    while (!request.result.isDone()) {
      List<Slot> candidates = slowStart.admit(withCapacity(ready), nanoClock.getAsLong());
      if (candidates.isEmpty()) {
        if (ready.isEmpty()) {
          request.result.completeExceptionally(
              new RoutingFailure.NoWorkerReady(admission.retryAfter()));
        } else if (!queue.offer(request)) {
          request.result.completeExceptionally(
              new RoutingFailure.Overloaded(admission.retryAfter()));
        } else {
          // Every attempt may have been released between the capacity check and the offer, and
          // its drain of the queue have found it empty: look again, or this request would wait
          // for the next release (or until queue.max-wait) beside an idle worker.
          queue.drainInto(this::hasCapacity);
        }
        return;
      }
      Slot slot = candidates.get(request.route.strategy().pick(candidates));
      long attemptId = inFlight.nextId();
      // Set before the attempt is visible in inFlight: a thread that takes the attempt over (an
      // offline sweep that retries it) then writes the next id after this one, never before.
      request.attemptId = attemptId;
      long now = nanoClock.getAsLong();
      inFlight.record(attemptId, new InFlightAttempts.Attempt(request, slot, now));
      // A drain (or a suspicion) can land between the pick and the record above, and its idle
      // check (its sweep) would then miss this attempt: check again after recording, and pick
      // another worker if so.
      if (!ready.contains(slot) || slot.suspect) {
        if (release(attemptId) == null) {
          return; // a sweep took the attempt over: it retries or fails the request
        }
        continue;
      }
      long remainingMillis =
          Math.max(1, TimeUnit.NANOSECONDS.toMillis(request.deadlineNanos - System.nanoTime()));
      request.workerId = slot.worker.workerId();
      slot.worker.ref().tell(request.work.create(attemptId, remainingMillis, inbox));
      return;
    }
  }

  private List<Slot> withCapacity(List<Slot> pool) {
    var now = clock.instant();
    List<Slot> candidates = new ArrayList<>(pool.size());
    for (Slot slot : pool) {
      if (slot.outstanding.get() < admission.maxInFlightPerWorker()
          && !slot.suspect
          && !outliers.isEjected(slot.key(), now)) {
        candidates.add(slot);
      }
    }
    return candidates;
  }

  /** Ends an attempt's bookkeeping; returns it if it was still in flight. */
  private InFlightAttempts.Attempt release(long attemptId) {
    InFlightAttempts.Attempt attempt = inFlight.release(attemptId);
    if (attempt != null) {
      queue.drainInto(this::hasCapacity);
    }
    return attempt;
  }

  private void drainQueue() {
    queue.drainInto(this::hasCapacity);
  }

  private boolean hasCapacity() {
    return !withCapacity(ready).isEmpty();
  }

  /** A worker's answer to an attempt; thread-safe, called on the thread that delivers it. */
  public void onReply(WorkerProtocol.Reply reply) {
    if (reply instanceof WorkerProtocol.Probed probed) {
      silence.probed(slots.values(), probed.requestId(), nanoClock.getAsLong());
      return;
    }
    InFlightAttempts.Attempt attempt = release(reply.requestId());
    if (attempt == null) {
      return; // the request timed out or was retried elsewhere
    }
    silence.heard(attempt.slot(), nanoClock.getAsLong());
    if (reply instanceof WorkerProtocol.ComputeFailed) {
      failedOn(attempt.slot());
    } else {
      outliers.onSuccess(attempt.slot().key());
    }
    attempt.request().result.complete(reply);
  }

  /** A failure or a timeout on the worker, for the outlier detector. */
  private void failedOn(Slot slot) {
    if (outliers.onFailure(slot.key(), ready.size(), clock.instant())) {
      metrics.ejected(slot.worker.workerId());
    }
  }

  // ---- the per-attempt timeout: slow or silent? (SilenceWatch) ------------------------------

  /**
   * One round of the per-attempt timeout, run by the reply inbox's timer every {@code
   * attempt-check-interval} (one thread at a time): probes the workers that went quiet with work
   * outstanding, takes those that do not answer out of rotation.
   */
  public void checkAttempts() {
    silence.check(slots.values(), inFlight.all(), nanoClock.getAsLong());
  }

  private void probe(Slot slot) {
    slot.worker.ref().tell(new WorkerProtocol.Probe(slot.probeId, inbox));
  }

  /** Never the last worker in rotation: when all look silent, the master is the likelier cause. */
  private boolean canSpare(Slot slot) {
    return ready.stream().anyMatch(other -> other != slot && !other.suspect);
  }

  /** The deadline passed: the client gets 504, naming the worker that had the request, if any. */
  private void expire(Request request) {
    if (!request.result.isDone()) {
      InFlightAttempts.Attempt attempt = inFlight.get(request.attemptId);
      request.result.completeExceptionally(
          new RoutingFailure.DeadlineExceeded(
              attempt == null ? "(none: still queued)" : attempt.slot().worker.workerId()));
    }
  }

  /**
   * The request is answered, failed or timed out: tidy up its attempt and its place in the queue.
   */
  private void onSettled(Request request, Throwable error) {
    InFlightAttempts.Attempt attempt = release(request.attemptId);
    if (attempt != null && error instanceof RoutingFailure.DeadlineExceeded) {
      attempt.slot().worker.ref().tell(new WorkerProtocol.Cancel(request.attemptId));
      failedOn(attempt.slot());
    }
    queue.remove(request);
  }

  // ---- the routing table, driven by the supervisor -------------------------------------------

  @Override
  public synchronized void online(RoutableWorker worker) {
    Slot slot =
        slots.computeIfAbsent(
            worker.ref(),
            ref ->
                new Slot(
                    worker,
                    weights.of(worker.workerId()),
                    inFlight.nextId(),
                    nanoClock.getAsLong()));
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
    return inFlight.whenIdle(worker, () -> inFlightCount(worker));
  }

  /**
   * The worker is gone: its requests fail at once, except idempotent ones, which get one more try
   * on another worker if the retry budget allows.
   */
  @Override
  public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {
    drain(worker);
    for (Map.Entry<Long, InFlightAttempts.Attempt> entry : inFlight.entries()) {
      InFlightAttempts.Attempt attempt = entry.getValue();
      if (attempt.slot().worker.ref().equals(worker) && release(entry.getKey()) != null) {
        secondTries.onLost(attempt, reason);
      }
    }
    slots.remove(worker);
    outliers.forget(worker);
  }

  /**
   * Sets a worker's weight at run time (by worker id); applies from the next pick.
   *
   * @return false if no worker with that id is routed by this router
   */
  public boolean setWeight(String workerId, int weight) {
    return weights.set(workerId, weight, slots.values());
  }
}
