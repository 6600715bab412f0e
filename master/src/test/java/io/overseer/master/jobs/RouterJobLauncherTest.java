package io.overseer.master.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.routing.AdmissionSettings;
import io.overseer.master.routing.ReplyInbox;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher over a real router, with probes standing in for two workers: what it decides that
 * the router cannot (busy workers, lost runs, the schema).
 */
class RouterJobLauncherTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestProbe<WorkerProtocol.Command> a = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.JobAccepted> acks = testKit.createTestProbe();
  private final WorkerRouter router =
      new WorkerRouter(
          new AdmissionSettings(
              64,
              16,
              Duration.ofSeconds(1),
              1.0,
              0,
              Duration.ofSeconds(10),
              3,
              Duration.ofSeconds(30),
              0.5,
              Duration.ofSeconds(1),
              Duration.ofSeconds(30),
              Duration.ofSeconds(1)),
          1,
          Map.of(),
          Clock.systemUTC());
  private final RouterJobLauncher launcher;

  RouterJobLauncherTest() {
    TestProbe<ActorRef<WorkerProtocol.Reply>> inboxes = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              inboxes.ref().tell(ReplyInbox.create(context, "replies", router::onReply));
              return Behaviors.empty();
            }));
    router.attach(inboxes.receiveMessage());
    router.online(new RoutableWorker("a", 1, a.ref()));
    router.online(new RoutableWorker("b", 2, b.ref()));
    Config loaded =
        ClusterConfig.load(
            ConfigFactory.parseString(
                """
                overseer.jobs {
                  primes { schema { type = object, properties.n { type = integer } }, deadline = 1s }
                  sure { implementation = primes, retryable-if-lost = true }
                  twice { implementation = primes, lost-retries = 2 }
                }
                """),
            "overseer-master-defaults.conf");
    launcher =
        new RouterJobLauncher(
            JobsConfig.parse(loaded.getConfig("overseer"), "web", Set.of("web")),
            Map.of("web", router),
            Clock.systemUTC());
    launcher.attach(acks.ref());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private CompletableFuture<JobOutcome> launch(String job, String args) throws Exception {
    return launcher
        .launch(new JobLaunch(job, JSON.readTree(args), null, "test"))
        .toCompletableFuture();
  }

  private static JobOutcome outcome(CompletableFuture<JobOutcome> launched) throws Exception {
    return launched.get(10, TimeUnit.SECONDS);
  }

  /** The RunJob one of the two workers got, and which one. */
  private WorkerProtocol.RunJob runOn(TestProbe<WorkerProtocol.Command> worker) {
    return worker.expectMessageClass(WorkerProtocol.RunJob.class);
  }

  private static void answer(
      WorkerProtocol.RunJob run, WorkerProtocol.JobStatus status, String result, String w) {
    run.replyTo()
        .tell(
            new WorkerProtocol.JobDone(
                run.requestId(),
                run.job(),
                status,
                result,
                status == WorkerProtocol.JobStatus.SUCCEEDED ? "" : "busy: 1 jobs running",
                w,
                7,
                1));
  }

  @Test
  void badArgumentsAndUnknownJobsAreRefusedWithoutTouchingAWorker() throws Exception {
    JobOutcome bad = outcome(launch("primes", "{\"n\":\"x\"}"));
    assertEquals(JobOutcome.Status.REFUSED, bad.status());
    assertTrue(bad.error().startsWith("invalid arguments: /n: "), bad.error());
    JobOutcome unknown = outcome(launch("nope", "{}"));
    assertEquals(JobOutcome.Status.REFUSED, unknown.status());
    assertTrue(unknown.error().startsWith("unknown job 'nope'"), unknown.error());
    a.expectNoMessage(Duration.ofMillis(100));
    b.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aBusyWorkerSendsTheRunToTheOtherAndWhenBothAreBusyItIsRefused() throws Exception {
    var launched = launch("primes", "{\"n\":10}");
    Got first = runOnEither();
    assertEquals("primes", first.run.job());
    assertEquals("{\"n\":10}", first.run.argsJson());
    answer(first.run, WorkerProtocol.JobStatus.BUSY, "", first.id);
    WorkerProtocol.RunJob second = runOn(first.other);
    answer(second, WorkerProtocol.JobStatus.SUCCEEDED, "{\"primes\":4}", first.otherId);
    JobOutcome done = outcome(launched);
    assertEquals(JobOutcome.Status.SUCCEEDED, done.status());
    assertEquals(first.otherId, done.worker());
    assertEquals(4, done.result().get("primes").asInt());

    var refused = launch("primes", "{}");
    Got busy = runOnEither();
    answer(busy.run, WorkerProtocol.JobStatus.BUSY, "", busy.id);
    answer(runOn(busy.other), WorkerProtocol.JobStatus.BUSY, "", busy.otherId);
    JobOutcome outcome = outcome(refused);
    assertEquals(JobOutcome.Status.REFUSED, outcome.status());
    assertTrue(outcome.error().startsWith("every worker is busy"), outcome.error());
  }

  @Test
  void aRunLostWithItsWorkerIsLostUnlessTheJobSaidItMayRunAgain() throws Exception {
    var notRetryable = launch("primes", "{}");
    Got run = runOnEither();
    launcher.accepted(new WorkerProtocol.JobAccepted(run.run.requestId(), run.id, false));
    router.offline(run.worker.ref(), "process exited");
    JobOutcome lost = outcome(notRetryable);
    assertEquals(JobOutcome.Status.LOST, lost.status());
    assertEquals(run.id, lost.worker());
    assertTrue(lost.error().endsWith("the job is not retryable"), lost.error());
    run.other.expectNoMessage(Duration.ofMillis(100));

    router.online(new RoutableWorker(run.id, 1, run.worker.ref()));
    var retryable = launch("primes", "{}");
    Got again = runOnEither();
    // The job's own retryable(), reported when the worker accepted the run.
    launcher.accepted(new WorkerProtocol.JobAccepted(again.run.requestId(), again.id, true));
    router.offline(again.worker.ref(), "process exited");
    answer(runOn(again.other), WorkerProtocol.JobStatus.SUCCEEDED, "1", again.otherId);
    JobOutcome done = outcome(retryable);
    assertEquals(JobOutcome.Status.SUCCEEDED, done.status());
    assertEquals(again.otherId, done.worker());
  }

  @Test
  void theConfigurationMayDeclareARunRetryableAndRetriesAreBounded() throws Exception {
    var sure = launch("sure", "{}");
    Got neverAccepted = runOnEither();
    router.offline(neverAccepted.worker.ref(), "gone");
    answer(
        runOn(neverAccepted.other), WorkerProtocol.JobStatus.SUCCEEDED, "2", neverAccepted.otherId);
    assertEquals(JobOutcome.Status.SUCCEEDED, outcome(sure).status());

    router.online(new RoutableWorker(neverAccepted.id, 1, neverAccepted.worker.ref()));
    var bounded = launch("sure", "{}"); // lost-retries = 1: the second loss is final
    Got first = runOnEither();
    router.offline(first.worker.ref(), "gone");
    runOn(first.other);
    router.offline(first.other.ref(), "gone");
    JobOutcome lost = outcome(bounded);
    assertEquals(JobOutcome.Status.LOST, lost.status());
    assertTrue(lost.error().contains("retried 1 time(s) already"), lost.error());
  }

  @Test
  void aDeadlinePassingIsTimedOutAndTheWorkerIsToldToCancel() throws Exception {
    var slow = launch("primes", "{}");
    Got run = runOnEither();
    JobOutcome timedOut = outcome(slow);
    assertEquals(JobOutcome.Status.TIMED_OUT, timedOut.status());
    assertTrue(timedOut.error().startsWith("deadline of 1000 ms passed"), timedOut.error());
    assertEquals(new WorkerProtocol.Cancel(run.run.requestId()), run.worker.receiveMessage());
  }

  /** A run as one of the two workers got it, that worker and the other one. */
  private record Got(
      WorkerProtocol.RunJob run,
      TestProbe<WorkerProtocol.Command> worker,
      String id,
      TestProbe<WorkerProtocol.Command> other,
      String otherId) {}

  /** The strategy picks either worker: look at both, in turn, for a few seconds. */
  private Got runOnEither() {
    for (int round = 0; round < 100; round++) {
      for (TestProbe<WorkerProtocol.Command> worker : List.of(a, b)) {
        try {
          WorkerProtocol.RunJob run =
              worker.expectMessageClass(WorkerProtocol.RunJob.class, Duration.ofMillis(25));
          boolean isA = worker == a;
          return new Got(run, worker, isA ? "a" : "b", isA ? b : a, isA ? "b" : "a");
        } catch (AssertionError nothingYet) {
          // try the other one
        }
      }
    }
    throw new AssertionError("no worker got the run");
  }
}
