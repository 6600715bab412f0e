package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorCell;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.runtime.BoxedUnit;

/**
 * The router's threading contract under load: threads sending (as Pekko HTTP's do), threads
 * replying through the real {@link ReplyInbox} (as remote workers' replies do), deadlines and queue
 * waits expiring on timer threads, and one thread playing the supervisor that brings workers
 * online, drains them and takes them (or loses them) offline, all at once. Fake workers are
 * function refs too, so that a message is seen the moment the router sends it.
 */
@ExtendWith(LogCapturingExtension.class)
class WorkerRouterStressTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final int SENDERS = 3;
  private static final int REPLIERS = 2;

  /** Workers brought online over the run: the supervisor's moves, as fast as it can make them. */
  private static final int WORKERS = 100;

  /** Requests sent between two moves of the supervisor (at least: it may fall behind). */
  private static final int REQUESTS_PER_MOVE = 50;

  /** At most; the senders stop when the supervisor has made its last move. */
  private static final int REQUESTS = 50_000;

  /** Per worker: the senders keep three times what two workers take, so the queue is used. */
  private static final int MAX_IN_FLIGHT = 4;

  /** Requests each sender keeps outstanding. */
  private static final int WINDOW = 2 * MAX_IN_FLIGHT;

  private static final Duration RUN_LIMIT = Duration.ofSeconds(10);
  private static final Duration PAUSE = Duration.ofNanos(50_000);

  /** Short: the replies the fake workers drop must time out within the test. */
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A worker process as the router sees it; its handler runs on the thread that sends to it. */
  private final class FakeWorker {
    final String id;
    final ActorRef<WorkerProtocol.Command> ref;

    /** Its process died: what it receives is lost. */
    volatile boolean crashed;

    /** Drained, and the router said it was idle: from now on nothing may be sent to it. */
    volatile boolean idleAfterDrain;

    /** Taken offline: only sends already under way may still arrive. */
    volatile boolean offline;

    final AtomicInteger sentAfterIdle = new AtomicInteger();
    final AtomicInteger sentAfterOffline = new AtomicInteger();

    FakeWorker(String id, ActorRef<WorkerProtocol.Command> ref) {
      this.id = id;
      this.ref = ref;
    }

    void receive(Object message) {
      if (!(message instanceof WorkerProtocol.Compute compute)) {
        return; // a Cancel after a deadline
      }
      int request = (int) compute.n();
      boolean unsettled = !results.get(request).isDone();
      attempts.incrementAndGet(request);
      if (idleAfterDrain && unsettled) {
        sentAfterIdle.incrementAndGet();
      }
      if (offline && unsettled) {
        sentAfterOffline.incrementAndGet();
      }
      if (!crashed) {
        mailbox.add(new Delivery(this, compute));
      }
    }
  }

  private record Delivery(FakeWorker worker, WorkerProtocol.Compute compute) {}

  private final AtomicReferenceArray<CompletableFuture<WorkerProtocol.Reply>> results =
      new AtomicReferenceArray<>(REQUESTS);
  private final AtomicIntegerArray attempts = new AtomicIntegerArray(REQUESTS);
  private final LinkedBlockingQueue<Delivery> mailbox = new LinkedBlockingQueue<>();

  private static AdmissionSettings admission() {
    return new AdmissionSettings(
        MAX_IN_FLIGHT,
        64,
        Duration.ofMillis(200),
        1.0,
        100,
        Duration.ofSeconds(10),
        3,
        Duration.ofMillis(50),
        0.5,
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ofMillis(50));
  }

  /**
   * Function refs of one actor, each handing its messages to a fake worker on the sender's thread.
   */
  private static List<ActorRef<WorkerProtocol.Command>> functionRefs(
      int count, List<FakeWorker> workers) {
    List<ActorRef<WorkerProtocol.Command>> refs = new CopyOnWriteArrayList<>();
    TestProbe<Boolean> created = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              ActorCell cell = (ActorCell) Adapter.toClassic(context);
              for (int i = 0; i < count; i++) {
                int index = i;
                workers.add(null);
                var ref =
                    cell.addFunctionRef(
                        (sender, message) -> {
                          workers.get(index).receive(message);
                          return BoxedUnit.UNIT;
                        },
                        "");
                refs.add(Adapter.toTyped(ref));
              }
              created.ref().tell(true);
              return Behaviors.empty();
            }));
    created.receiveMessage();
    return refs;
  }

  @Test
  void everyRequestSettlesOnceAndNothingReachesADrainedOrOfflineWorkerWhileAllThreadsRace()
      throws Exception {
    WorkerRouter router = new WorkerRouter(admission(), 1, Map.of(), Clock.systemUTC());
    TestProbe<ActorRef<WorkerProtocol.Reply>> inboxes = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              inboxes.ref().tell(ReplyInbox.create(context, "replies", router::onReply));
              return Behaviors.empty();
            }));
    router.attach(inboxes.receiveMessage());

    List<FakeWorker> workers = new CopyOnWriteArrayList<>();
    List<ActorRef<WorkerProtocol.Command>> workerRefs = functionRefs(WORKERS, workers);
    for (int i = 0; i < WORKERS; i++) {
      workers.set(i, new FakeWorker("w" + i, workerRefs.get(i)));
    }

    long stopAt = System.nanoTime() + RUN_LIMIT.toNanos();
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    CompletableFuture<Void> supervisorDone = new CompletableFuture<>();
    Semaphore moves = new Semaphore(0);
    ExecutorService threads = Executors.newFixedThreadPool(SENDERS + REPLIERS + 1);

    // The supervisor: two workers online, then a move per REQUESTS_PER_MOVE requests sent while
    // the requests flow: a fresh worker online, and the oldest one drained (then offline) or lost.
    Queue<FakeWorker> online = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> idles = new ArrayList<>();
    router.online(new RoutableWorker(workers.get(0).id, 0, workers.get(0).ref));
    router.online(new RoutableWorker(workers.get(1).id, 1, workers.get(1).ref));
    online.add(workers.get(0));
    online.add(workers.get(1));
    var supervisor =
        threads.submit(
            guarded(
                threadFailure,
                () -> {
                  for (int next = 2; next < WORKERS; next++) {
                    if (!moves.tryAcquire(stopAt - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                      return;
                    }
                    FakeWorker fresh = workers.get(next);
                    router.online(new RoutableWorker(fresh.id, next, fresh.ref));
                    online.add(fresh);
                    FakeWorker old = online.poll();
                    if (next % 2 == 0) {
                      router.drain(old.ref);
                      CompletableFuture<Void> idle = router.whenIdle(old.ref).toCompletableFuture();
                      idle.get(10, TimeUnit.SECONDS);
                      idles.add(idle);
                      old.idleAfterDrain = true;
                      router.offline(old.ref, "stopped");
                    } else {
                      old.crashed = true;
                      router.offline(old.ref, "process exited with code 137");
                    }
                    old.offline = true;
                  }
                },
                () -> supervisorDone.complete(null)));

    // Workers answer from these threads through the reply inbox; a few answers are failures, a
    // few are never sent (the deadline answers those), and a lost worker answers nothing.
    for (int r = 0; r < REPLIERS; r++) {
      threads.submit(
          guarded(
              threadFailure,
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  Delivery delivery = mailbox.poll(100, TimeUnit.MILLISECONDS);
                  if (delivery == null || delivery.worker.crashed) {
                    continue;
                  }
                  int dice = ThreadLocalRandom.current().nextInt(1000);
                  WorkerProtocol.Compute compute = delivery.compute;
                  if (dice < 1) {
                    continue;
                  }
                  compute
                      .replyTo()
                      .tell(
                          dice < 30
                              ? new WorkerProtocol.ComputeFailed(
                                  compute.requestId(), delivery.worker.id, "failed on purpose")
                              : new WorkerProtocol.Computed(
                                  compute.requestId(), compute.n(), "s", delivery.worker.id, 0, 0));
                }
              }));
    }

    // Requests as the edge sends them: a third not idempotent (never retried), the rest idempotent.
    RouteSettings idempotent =
        new RouteSettings(
            "stress", dawdling(StrategyKind.LEAST_OUTSTANDING.create()), true, TIMEOUT);
    RouteSettings once =
        new RouteSettings(
            "stress-once", dawdling(StrategyKind.ROUND_ROBIN.create()), false, TIMEOUT);
    List<CompletableFuture<?>> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      senders.add(
          CompletableFuture.runAsync(
              guarded(
                  threadFailure,
                  () -> {
                    Semaphore window = new Semaphore(WINDOW);
                    for (int i = sent.getAndIncrement();
                        i < REQUESTS && !supervisorDone.isDone() && System.nanoTime() < stopAt;
                        i = sent.getAndIncrement()) {
                      int request = i;
                      window.acquire();
                      CompletableFuture<WorkerProtocol.Reply> result = new CompletableFuture<>();
                      result.whenComplete((reply, error) -> window.release());
                      results.set(request, result);
                      if (request % REQUESTS_PER_MOVE == 0) {
                        moves.release();
                      }
                      router
                          .dispatch(
                              (id, timeoutMillis, replyTo) ->
                                  new WorkerProtocol.Compute(
                                      id, "", request, timeoutMillis, replyTo),
                              request % 3 == 0 ? once : idempotent)
                          .whenComplete(
                              (reply, error) -> {
                                if (error != null) {
                                  result.completeExceptionally(error);
                                } else {
                                  result.complete(reply);
                                }
                              });
                    }
                  }),
              threads));
    }

    CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new))
        .get(RUN_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
    supervisor.get(RUN_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
    int total = 0;
    while (total < REQUESTS && results.get(total) != null) {
      total++;
    }
    int sentTotal = total;
    Awaitility.await("every request settled")
        .atMost(Duration.ofSeconds(15))
        .until(() -> IntStream.range(0, sentTotal).allMatch(i -> results.get(i).isDone()));
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS), "test threads ended");
    assertEquals(null, threadFailure.get(), "a test thread failed");

    int succeeded = 0;
    for (int i = 0; i < total; i++) {
      CompletableFuture<WorkerProtocol.Reply> result = results.get(i);
      int limit = i % 3 == 0 ? 1 : 2;
      assertTrue(
          attempts.get(i) <= limit,
          "request "
              + i
              + " reached workers "
              + attempts.get(i)
              + " times; at most "
              + limit
              + " allowed");
      if (!result.isCompletedExceptionally()
          && result.get() instanceof WorkerProtocol.Computed computed) {
        assertEquals(
            i, computed.n(), "request " + i + " was answered with another request's reply");
        succeeded++;
      }
    }
    assertTrue(total > 10 * WORKERS, "the run sent only " + total + " requests");
    assertTrue(succeeded > total / 2, "only " + succeeded + " of " + total + " requests succeeded");
    Awaitility.await("no attempt left in flight")
        .atMost(Duration.ofSeconds(5))
        .until(() -> router.attemptsInFlight() == 0 && router.queued() == 0);
    for (FakeWorker worker : workers) {
      assertEquals(
          0, router.inFlightCount(worker.ref), worker.id + " still has requests in flight");
      assertEquals(
          0, worker.sentAfterIdle.get(), worker.id + " got requests after it was drained and idle");
      assertTrue(
          worker.sentAfterOffline.get() <= SENDERS + REPLIERS,
          worker.id
              + " got "
              + worker.sentAfterOffline.get()
              + " requests after it went offline; only sends already under way may arrive");
    }
    assertTrue(idles.stream().allMatch(CompletableFuture::isDone));
    long moved = workers.stream().filter(w -> w.offline).count();
    assertTrue(
        moved >= WORKERS / 4, "the supervisor made only " + moved + " moves within " + RUN_LIMIT);
  }

  /**
   * The strategy, with a pause after one pick in ten: the moment between choosing a worker and
   * recording the request on it is where a drain or an offline can slip in, and on its own it lasts
   * too short for a test to land there often.
   */
  private static RoutingStrategy dawdling(RoutingStrategy strategy) {
    return candidates -> {
      int picked = strategy.pick(candidates);
      if (ThreadLocalRandom.current().nextInt(10) == 0) {
        LockSupport.parkNanos(PAUSE.toNanos());
      }
      return picked;
    };
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Runnable guarded(AtomicReference<Throwable> failure, Body body) {
    return guarded(failure, body, () -> {});
  }

  private static Runnable guarded(AtomicReference<Throwable> failure, Body body, Runnable andThen) {
    return () -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      } finally {
        andThen.run();
      }
    };
  }
}
