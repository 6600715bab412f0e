package io.overseer.master.supervision;

import static io.overseer.master.supervision.SupervisionFixtures.policy;
import static io.overseer.master.supervision.SupervisionFixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.supervision.AppHarness.Drain;
import io.overseer.master.supervision.AppHarness.Online;
import io.overseer.master.supervision.SupervisionFixtures.Launched;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An app's health checks, through its supervisor, in virtual time: liveness pings and the memory
 * limit.
 */
@ExtendWith(LogCapturingExtension.class)
class AppHealthTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final AppHarness harness = new AppHarness(testKit, manualTime);

  @AfterEach
  void stopSupervisor() {
    harness.stop();
  }

  /**
   * One worker instance pinged every {@code ping}, dead after {@code liveness}, replaced over
   * {@code heapLimit}.
   */
  private static AppSettings app(Duration ping, Duration liveness, long heapLimit) {
    AppSettings w = worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10)));
    return new AppSettings(
        w.name(),
        w.mode(),
        1,
        0,
        w.weight(),
        w.workerWeights(),
        w.launch(),
        w.readyTimeout(),
        w.killTimeout(),
        heapLimit,
        AppSettings.MemoryKind.HEAP,
        w.restart(),
        ping,
        liveness,
        w.rolloutBatch(),
        w.maxInstances());
  }

  private static MasterProtocol.Pong pong(Launched launched, long sequence, long heapUsedBytes) {
    return new MasterProtocol.Pong(
        "web",
        launched.spec().processId(),
        launched.process().pid(),
        sequence,
        heapUsedBytes,
        1_000,
        -1,
        0,
        0,
        MasterProtocol.WorkerFigures.NONE);
  }

  @Test
  void aWorkerIsPingedEveryIntervalAndKilledOnceSilentForLongerThanTheLivenessTimeout() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(app(Duration.ofSeconds(1), Duration.ofSeconds(3), 0));
    Launched launched = harness.launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> worker = harness.makeReady(app, launched);

    harness.pass(app, Duration.ofSeconds(1));
    WorkerProtocol.Ping first = worker.expectMessageClass(WorkerProtocol.Ping.class);
    app.tell(pong(launched, first.sequence(), 10)); // alive at 1 s; silent from here on
    for (int second = 2; second <= 4; second++) {
      harness.pass(app, Duration.ofSeconds(1));
      worker.expectMessageClass(WorkerProtocol.Ping.class); // silent for up to 3 s: still pinged
      assertFalse(launched.process().killed, "silent for " + (second - 1) + " s only");
    }
    harness.pass(app, Duration.ofSeconds(1)); // silent for 4 s, over the 3 s timeout
    assertTrue(launched.process().killed);
    worker.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aWorkerOverItsMemoryLimitIsReplacedByANewProcessReadyBeforeTheOldOneIsDrained() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(app(Duration.ofHours(1), Duration.ofHours(2), 100));
    Launched old = harness.launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> oldWorker = harness.makeReady(app, old);
    harness.routing.expectMessageClass(Online.class);

    app.tell(pong(old, 1, 100)); // at the limit: fine
    harness.settled(app);
    harness.launches.expectNoMessage(Duration.ZERO);

    app.tell(pong(old, 2, 101));
    Launched incoming = harness.launches.receiveMessage();
    assertEquals("web-0", incoming.spec().processId());
    assertFalse(old.process().stopped, "the old process serves until the new one is ready");
    TestProbe<WorkerProtocol.Command> newWorker = harness.makeReady(app, incoming);
    assertEquals(newWorker.ref(), ((Online) harness.routing.receiveMessage()).worker().ref());
    assertEquals(new Drain(oldWorker.ref()), harness.routing.receiveMessage());
    // Drained (at once: the stub router has nothing in flight), stopped, gone from the view.
    harness.status.fishForMessage(
        Duration.ofSeconds(3),
        s -> {
          ProcessView web0 = s.view().processes().get(0);
          return s.view().processes().size() == 1
                  && Long.valueOf(incoming.process().pid()).equals(web0.pid())
                  && web0.state().equals("online")
                  && web0.restarts() == 0
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });
    assertTrue(old.process().stopped);
  }

  @Test
  void aWorkerReportingAJobStuckPastItsCancellationIsDrainedAndReplaced() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(app(Duration.ofHours(1), Duration.ofHours(2), 0));
    Launched old = harness.launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> oldWorker = harness.makeReady(app, old);
    harness.routing.expectMessageClass(Online.class);

    app.tell(pong(old, 1, 10)); // busy, nothing stuck: fine
    harness.settled(app);
    harness.launches.expectNoMessage(Duration.ZERO);

    Launched withStuck = old;
    app.tell(
        new MasterProtocol.Pong(
            "web",
            withStuck.spec().processId(),
            withStuck.process().pid(),
            2,
            10,
            1_000,
            -1,
            1,
            1,
            MasterProtocol.WorkerFigures.NONE));
    Launched incoming = harness.launches.receiveMessage();
    assertEquals("web-0", incoming.spec().processId());
    harness.makeReady(app, incoming);
    harness.routing.expectMessageClass(Online.class);
    assertEquals(new Drain(oldWorker.ref()), harness.routing.receiveMessage());
  }
}
