package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The router with probes standing in for worker actors. */
@ExtendWith(LogCapturingExtension.class)
class WorkerRouterTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration LONG = Duration.ofSeconds(30);

  private final TestProbe<WorkerProtocol.Command> a = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = testKit.createTestProbe();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Every request sent allows one retry: the budget itself is tested with its own figures. */
  private static AdmissionSettings admission(int maxInFlight, int queue, Duration maxWait) {
    return admission(maxInFlight, queue, maxWait, 1.0);
  }

  private static AdmissionSettings admission(
      int maxInFlight, int queue, Duration maxWait, double retryRatio) {
    return new AdmissionSettings(
        maxInFlight,
        queue,
        maxWait,
        retryRatio,
        0,
        Duration.ofSeconds(10),
        3,
        Duration.ofSeconds(30),
        0.5,
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        Duration.ofMillis(50));
  }

  private static RouteSettings route(StrategyKind strategy, boolean idempotent, Duration timeout) {
    return new RouteSettings("test", strategy.create(), idempotent, timeout);
  }

  /** Per test: a round-robin strategy keeps its position between picks. */
  private final RouteSettings roundRobin = route(StrategyKind.ROUND_ROBIN, true, LONG);

  private WorkerRouter router(AdmissionSettings admission) {
    WorkerRouter router = new WorkerRouter(admission, 1, Map.of(), Clock.systemUTC());
    router.attach(replyInbox(router));
    router.online(new RoutableWorker("a", 1, a.ref()));
    router.online(new RoutableWorker("b", 2, b.ref()));
    return router;
  }

  /** The production inbox: an actor that hands each reply to the router. */
  private ActorRef<WorkerProtocol.Reply> replyInbox(WorkerRouter router) {
    TestProbe<ActorRef<WorkerProtocol.Reply>> inboxes = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              inboxes.ref().tell(ReplyInbox.create(context, "replies", router::onReply));
              return Behaviors.empty();
            }));
    return inboxes.receiveMessage();
  }

  private WorkerRouter router() {
    return router(admission(64, 16, LONG));
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static void answer(WorkerProtocol.Compute request, String workerId) {
    request
        .replyTo()
        .tell(new WorkerProtocol.Computed(request.requestId(), request.n(), "s", workerId, 0, 0));
  }

  @Test
  void requestsGoToTheReadyWorkersInTurnAndRepliesFindTheirRequest() throws Exception {
    WorkerRouter router = router();
    var first = router.compute(10, roundRobin).toCompletableFuture();
    var second = router.compute(20, roundRobin).toCompletableFuture();
    var third = router.compute(30, roundRobin).toCompletableFuture();
    WorkerProtocol.Compute toA = a.expectMessageClass(WorkerProtocol.Compute.class);
    WorkerProtocol.Compute toB = b.expectMessageClass(WorkerProtocol.Compute.class);
    WorkerProtocol.Compute toAAgain = a.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(List.of(10L, 20L, 30L), List.of(toA.n(), toB.n(), toAAgain.n()));

    answer(toB, "b"); // out of order: each reply completes its own request
    answer(toA, "a");
    assertEquals(20, ((WorkerProtocol.Computed) second.get(10, TimeUnit.SECONDS)).n());
    assertEquals(10, ((WorkerProtocol.Computed) first.get(10, TimeUnit.SECONDS)).n());
    assertFalse(third.isDone());
    assertEquals(1, router.inFlightCount(a.ref()));
  }

  @Test
  void weightsSetAtRunTimeShapeTheSmoothWeightedSequence() {
    WorkerRouter router = router();
    RouteSettings weighted = route(StrategyKind.WEIGHTED_ROUND_ROBIN, true, LONG);
    assertTrue(router.setWeight("a", 3));
    assertFalse(router.setWeight("nobody", 3));
    for (int i = 0; i < 8; i++) {
      router.compute(i, weighted);
    }
    // nginx's smooth weighted round-robin with a=3, b=1: a a b a, twice.
    List<Long> toA =
        a.receiveSeveralMessages(6).stream().map(c -> ((WorkerProtocol.Compute) c).n()).toList();
    List<Long> toB =
        b.receiveSeveralMessages(2).stream().map(c -> ((WorkerProtocol.Compute) c).n()).toList();
    assertEquals(List.of(0L, 1L, 3L, 4L, 5L, 7L), toA);
    assertEquals(List.of(2L, 6L), toB);
  }

  @Test
  void aLostWorkersIdempotentRequestIsRetriedOnAnotherWorker() throws Exception {
    WorkerRouter router = router();
    var request = router.compute(10, roundRobin).toCompletableFuture();
    a.expectMessageClass(WorkerProtocol.Compute.class);
    router.offline(a.ref(), "process exited with code 137");

    WorkerProtocol.Compute retried = b.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(10, retried.n());
    answer(retried, "b");
    assertEquals("b", ((WorkerProtocol.Computed) request.get(10, TimeUnit.SECONDS)).workerId());
  }

  @Test
  void aLostWorkersNonIdempotentRequestFailsAtOnceWithOutcomeUnknown() {
    WorkerRouter router = router();
    var request =
        router.compute(10, route(StrategyKind.ROUND_ROBIN, false, LONG)).toCompletableFuture();
    a.expectMessageClass(WorkerProtocol.Compute.class);
    router.offline(a.ref(), "process exited with code 137");
    RoutingFailure.WorkerLost lost =
        assertInstanceOf(RoutingFailure.WorkerLost.class, failureOf(request));
    assertEquals("a", lost.workerId());
    assertFalse(lost.idempotent());
    b.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aRequestIsRetriedAtMostOnce() {
    WorkerRouter router = router();
    var request = router.compute(10, roundRobin).toCompletableFuture();
    a.expectMessageClass(WorkerProtocol.Compute.class);
    router.offline(a.ref(), "gone");
    b.expectMessageClass(WorkerProtocol.Compute.class);
    router.offline(b.ref(), "gone too");
    assertInstanceOf(RoutingFailure.WorkerLost.class, failureOf(request));
  }

  @Test
  void theRetryBudgetStopsARetryStorm() {
    // No floor, ratio 0.2: 6 requests sent allow one retry; of 3 requests lost, two fail.
    WorkerRouter router = router(admission(64, 16, LONG, 0.2));
    List<CompletableFuture<WorkerProtocol.Reply>> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(router.compute(i, roundRobin).toCompletableFuture());
    }
    a.receiveSeveralMessages(3);
    b.receiveSeveralMessages(3);
    router.offline(a.ref(), "gone");
    List<WorkerProtocol.Command> retried = b.receiveSeveralMessages(1);
    b.expectNoMessage(Duration.ofMillis(100));
    long failed = requests.stream().filter(CompletableFuture::isCompletedExceptionally).count();
    assertEquals(2, failed, "two of the three lost requests failed instead of being retried");
    assertEquals(1, retried.size());
  }

  @Test
  void noReadyWorkerFailsFast() {
    WorkerRouter router = router();
    router.offline(a.ref(), "test");
    router.offline(b.ref(), "test");
    assertInstanceOf(
        RoutingFailure.NoWorkerReady.class,
        failureOf(router.compute(1, roundRobin).toCompletableFuture()));
  }

  @Test
  void aPassedDeadlineFailsTheRequestAndTellsTheWorkerToCancel() {
    WorkerRouter router = router();
    var request =
        router
            .compute(10, route(StrategyKind.ROUND_ROBIN, true, Duration.ofMillis(200)))
            .toCompletableFuture();
    WorkerProtocol.Compute sent = a.expectMessageClass(WorkerProtocol.Compute.class);
    assertTrue(sent.timeoutMillis() <= 200);
    assertInstanceOf(RoutingFailure.DeadlineExceeded.class, failureOf(request));
    assertEquals(
        new WorkerProtocol.Cancel(sent.requestId()),
        a.expectMessageClass(WorkerProtocol.Cancel.class));
    assertEquals(0, router.inFlightCount(a.ref()));
  }

  @Test
  void fullWorkersQueueRequestsAndAFullQueueRefusesAtOnce() throws Exception {
    WorkerRouter router = router(admission(1, 1, LONG));
    router.compute(1, roundRobin);
    router.compute(2, roundRobin);
    WorkerProtocol.Compute onA = a.expectMessageClass(WorkerProtocol.Compute.class);
    b.expectMessageClass(WorkerProtocol.Compute.class);
    var queued = router.compute(3, roundRobin).toCompletableFuture();
    var refused = router.compute(4, roundRobin).toCompletableFuture();
    assertInstanceOf(RoutingFailure.Overloaded.class, failureOf(refused));
    assertFalse(queued.isDone());

    answer(onA, "a"); // room on a: the queued request goes there
    WorkerProtocol.Compute dequeued = a.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(3, dequeued.n());
  }

  @Test
  void aRequestWaitingTooLongInTheQueueIsRefused() {
    WorkerRouter router = router(admission(1, 4, Duration.ofMillis(200)));
    router.compute(1, roundRobin);
    router.compute(2, roundRobin);
    assertInstanceOf(
        RoutingFailure.Overloaded.class,
        failureOf(router.compute(3, roundRobin).toCompletableFuture()));
  }

  @Test
  void aWorkerWhoseRequestsKeepFailingIsEjected() {
    WorkerRouter router =
        router(
            new AdmissionSettings(
                64,
                16,
                LONG,
                0.2,
                0,
                Duration.ofSeconds(10),
                2,
                Duration.ofMinutes(1),
                0.5,
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                Duration.ofMillis(50)));
    for (int i = 0; i < 4; i++) {
      router.compute(i, roundRobin);
    }
    for (WorkerProtocol.Command sent : a.receiveSeveralMessages(2)) {
      WorkerProtocol.Compute failing = (WorkerProtocol.Compute) sent;
      failing.replyTo().tell(new WorkerProtocol.ComputeFailed(failing.requestId(), "a", "boom"));
    }
    b.receiveSeveralMessages(2);
    testKit.createTestProbe().expectNoMessage(Duration.ofMillis(100)); // let the replies land
    for (int i = 0; i < 3; i++) {
      router.compute(i, roundRobin);
    }
    b.receiveSeveralMessages(3);
    a.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aDrainedWorkerGetsNoNewRequestsFinishesItsOwnAndThenReportsIdle() throws Exception {
    WorkerRouter router = router();
    var onA = router.compute(10, roundRobin).toCompletableFuture();
    WorkerProtocol.Compute toA = a.expectMessageClass(WorkerProtocol.Compute.class);
    router.drain(a.ref());
    var idle = router.whenIdle(a.ref()).toCompletableFuture();
    for (int i = 0; i < 3; i++) {
      router.compute(1, roundRobin);
      b.expectMessageClass(WorkerProtocol.Compute.class);
    }
    a.expectNoMessage(Duration.ofMillis(100));
    assertFalse(idle.isDone(), "one request is still in flight on the drained worker");
    answer(toA, "a");
    onA.get(10, TimeUnit.SECONDS);
    idle.get(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleWorkerReportsIdleAtOnce() throws Exception {
    WorkerRouter router = router();
    router.drain(b.ref());
    router.whenIdle(b.ref()).toCompletableFuture().get(1, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerGoesOutOnlyOnceItsRequestIsCounted() throws Exception {
    WorkerRouter router = router();
    java.util.concurrent.atomic.AtomicInteger settled =
        new java.util.concurrent.atomic.AtomicInteger();
    router.measure(
        new RouterMetrics() {
          @Override
          public void settled(
              String route,
              String workerId,
              WorkerProtocol.Reply reply,
              Throwable failure,
              long elapsedNanos) {
            settled.incrementAndGet();
          }
        });
    // Both ends: a worker's reply, and the router's own deadline (the 504 a scrape must count).
    var replied = router.compute(10, roundRobin).toCompletableFuture();
    var seenAtReply = replied.thenApply(reply -> settled.get());
    answer(a.expectMessageClass(WorkerProtocol.Compute.class), "a");
    assertEquals(1, seenAtReply.get(10, TimeUnit.SECONDS));
    var late =
        router
            .compute(10, route(StrategyKind.ROUND_ROBIN, true, Duration.ofMillis(100)))
            .toCompletableFuture();
    var seenAtDeadline = late.handle((reply, error) -> settled.get());
    assertEquals(2, seenAtDeadline.get(10, TimeUnit.SECONDS));
  }
}
