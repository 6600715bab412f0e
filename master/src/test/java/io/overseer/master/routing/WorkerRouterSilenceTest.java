package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-attempt timeout: probes stand in for the workers, a manual clock for time, and each round
 * of the check is run by the test ({@link WorkerRouter#checkAttempts}), as the inbox's timer would.
 */
@ExtendWith(LogCapturingExtension.class)
class WorkerRouterSilenceTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration HALF = ATTEMPT_TIMEOUT.dividedBy(2);
  private static final Duration QUIET = Duration.ofMillis(200);

  private final TestProbe<WorkerProtocol.Command> a = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = testKit.createTestProbe();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final RouteSettings idempotent =
      new RouteSettings("test", StrategyKind.ROUND_ROBIN.create(), true, LONG);
  private final RouteSettings notIdempotent =
      new RouteSettings("test", StrategyKind.ROUND_ROBIN.create(), false, LONG);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private WorkerRouter router(List<TestProbe<WorkerProtocol.Command>> workers) {
    WorkerRouter router =
        new WorkerRouter(
            new AdmissionSettings(
                64,
                16,
                LONG,
                1.0,
                0,
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(30),
                0.5,
                Duration.ofSeconds(1),
                ATTEMPT_TIMEOUT,
                Duration.ofMillis(50)),
            1,
            Map.of(),
            Clock.systemUTC(),
            nanos::get);
    router.attach(replyInbox(router));
    for (int i = 0; i < workers.size(); i++) {
      router.online(new RoutableWorker(i == 0 ? "a" : "b", i + 1, workers.get(i).ref()));
    }
    return router;
  }

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

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  /** The worker's actor answering a probe, synchronously, as the inbox would hand it over. */
  private static void answerProbe(WorkerRouter router, WorkerProtocol.Probe probe) {
    router.onReply(new WorkerProtocol.Probed(probe.probeId()));
  }

  private static void answer(WorkerRouter router, WorkerProtocol.Compute request, String worker) {
    router.onReply(
        new WorkerProtocol.Computed(request.requestId(), request.n(), "s", worker, 0, 0));
  }

  @Test
  void aSilentWorkerIsProbedThenLeavesRotationAndItsIdempotentRequestIsRetriedAtOnce()
      throws Exception {
    WorkerRouter router = router(List.of(a, b));
    var request = router.compute(10, idempotent).toCompletableFuture();
    WorkerProtocol.Compute lost = a.expectMessageClass(WorkerProtocol.Compute.class);

    advance(HALF);
    router.checkAttempts();
    a.expectMessageClass(WorkerProtocol.Probe.class);
    b.expectNoMessage(QUIET); // half the timeout: only a probe, no retry yet

    advance(HALF);
    router.checkAttempts(); // the probe is unanswered: a is suspect
    WorkerProtocol.Compute retried = b.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(10, retried.n());
    assertEquals(
        new WorkerProtocol.Cancel(lost.requestId()),
        a.expectMessageClass(WorkerProtocol.Cancel.class));
    answer(router, retried, "b");
    assertEquals("b", ((WorkerProtocol.Computed) request.get(10, TimeUnit.SECONDS)).workerId());

    for (int i = 0; i < 3; i++) { // out of rotation: every new request goes to b
      router.compute(i, idempotent);
      b.expectMessageClass(WorkerProtocol.Compute.class);
    }
    a.expectMessageClass(WorkerProtocol.Probe.class); // probed again while suspect
    a.expectNoMessage(QUIET);
  }

  @Test
  void aSuspectWorkerThatAnswersIsBackInRotation() {
    WorkerRouter router = router(List.of(a, b));
    router.compute(1, idempotent);
    a.expectMessageClass(WorkerProtocol.Compute.class);
    advance(HALF);
    router.checkAttempts();
    WorkerProtocol.Probe probe = a.expectMessageClass(WorkerProtocol.Probe.class);
    advance(HALF);
    router.checkAttempts();
    b.expectMessageClass(WorkerProtocol.Compute.class); // the retry
    a.expectMessageClass(WorkerProtocol.Cancel.class);
    a.expectMessageClass(WorkerProtocol.Probe.class);
    assertEquals(List.of("b"), readyIds(router), "/ready counts no silent worker");

    answerProbe(router, probe); // SIGCONT: the first probe's answer arrives
    assertEquals(List.of("a", "b"), readyIds(router));
    router.compute(2, idempotent);
    router.compute(3, idempotent);
    a.expectMessageClass(WorkerProtocol.Compute.class);
    b.expectMessageClass(WorkerProtocol.Compute.class);
  }

  private static List<String> readyIds(WorkerRouter router) {
    return router.readyWorkers().stream().map(RoutableWorker::workerId).toList();
  }

  @Test
  void aSlowWorkerThatAnswersProbesIsNeverRetriedHowLongItsJobRuns() throws Exception {
    WorkerRouter router = router(List.of(a, b));
    var request = router.compute(1_000_000, idempotent).toCompletableFuture();
    WorkerProtocol.Compute job = a.expectMessageClass(WorkerProtocol.Compute.class);
    for (int round = 0; round < 20; round++) { // ten seconds of a minute-long job
      advance(HALF);
      router.checkAttempts();
      answerProbe(router, a.expectMessageClass(WorkerProtocol.Probe.class));
    }
    b.expectNoMessage(QUIET);
    assertFalse(request.isDone());
    answer(router, job, "a");
    assertEquals("a", ((WorkerProtocol.Computed) request.get(10, TimeUnit.SECONDS)).workerId());
  }

  @Test
  void aJobTheWorkerAcknowledgedIsNotStartedOverWhenItPausesButALaterRequestIsRetried()
      throws Exception {
    WorkerRouter router = router(List.of(a, b));
    var job = router.compute(1_000_000, idempotent).toCompletableFuture();
    WorkerProtocol.Compute running = a.expectMessageClass(WorkerProtocol.Compute.class);
    advance(HALF);
    router.checkAttempts();
    answerProbe(router, a.expectMessageClass(WorkerProtocol.Probe.class)); // the job is running

    advance(Duration.ofMillis(10));
    router.compute(2, idempotent);
    answer(router, b.expectMessageClass(WorkerProtocol.Compute.class), "b"); // b keeps answering
    var later = router.compute(3, idempotent).toCompletableFuture();
    WorkerProtocol.Compute unacknowledged = a.expectMessageClass(WorkerProtocol.Compute.class);
    advance(HALF);
    router.checkAttempts();
    a.expectMessageClass(WorkerProtocol.Probe.class);
    advance(HALF);
    router.checkAttempts(); // a pause (or a loaded machine): suspect

    WorkerProtocol.Compute retried = b.expectMessageClass(WorkerProtocol.Compute.class);
    assertEquals(3, retried.n(), "only the request a never acknowledged is retried");
    assertEquals(
        new WorkerProtocol.Cancel(unacknowledged.requestId()),
        a.expectMessageClass(WorkerProtocol.Cancel.class));
    b.expectNoMessage(QUIET);
    answer(router, retried, "b");
    assertEquals("b", ((WorkerProtocol.Computed) later.get(10, TimeUnit.SECONDS)).workerId());

    assertFalse(job.isDone(), "the long job is not started over elsewhere");
    answer(router, running, "a");
    assertEquals("a", ((WorkerProtocol.Computed) job.get(10, TimeUnit.SECONDS)).workerId());
  }

  @Test
  void aSilentWorkersNonIdempotentRequestWaitsForItsAnswerInsteadOfRunningTwice() throws Exception {
    WorkerRouter router = router(List.of(a, b));
    var request = router.compute(7, notIdempotent).toCompletableFuture();
    WorkerProtocol.Compute job = a.expectMessageClass(WorkerProtocol.Compute.class);
    advance(HALF);
    router.checkAttempts();
    a.expectMessageClass(WorkerProtocol.Probe.class);
    advance(HALF);
    router.checkAttempts();
    b.expectNoMessage(QUIET); // suspect, but its request may have run: not sent again
    assertFalse(request.isDone());

    router.compute(8, notIdempotent); // new requests avoid it
    b.expectMessageClass(WorkerProtocol.Compute.class);

    answer(router, job, "a"); // the worker resumes and answers: the client gets it
    assertEquals(7, ((WorkerProtocol.Computed) request.get(10, TimeUnit.SECONDS)).n());
  }

  @Test
  void theLastWorkerInRotationIsNeverSuspected() {
    WorkerRouter router = router(List.of(a));
    var request = router.compute(1, idempotent).toCompletableFuture();
    a.expectMessageClass(WorkerProtocol.Compute.class);
    for (int round = 0; round < 4; round++) {
      advance(HALF);
      router.checkAttempts();
      a.expectMessageClass(WorkerProtocol.Probe.class);
    }
    assertFalse(request.isDone());
    router.compute(2, idempotent); // still routed: nowhere would be better
    a.expectMessageClass(WorkerProtocol.Compute.class);
  }

  @Test
  void aWorkerThatKeepsAnsweringIsNeverProbed() {
    WorkerRouter router = router(List.of(a, b));
    for (int round = 0; round < 10; round++) {
      router.compute(round, idempotent);
      WorkerProtocol.Command sent = round % 2 == 0 ? a.receiveMessage() : b.receiveMessage();
      advance(HALF.dividedBy(2));
      answer(router, (WorkerProtocol.Compute) sent, "x");
      router.checkAttempts();
    }
    a.expectNoMessage(QUIET);
    b.expectNoMessage(Duration.ZERO);
  }
}
