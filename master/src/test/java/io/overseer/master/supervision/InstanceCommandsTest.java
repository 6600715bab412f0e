package io.overseer.master.supervision;

import static io.overseer.master.supervision.SupervisionFixtures.policy;
import static io.overseer.master.supervision.SupervisionFixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.supervision.AppHarness.Drain;
import io.overseer.master.supervision.AppHarness.Offline;
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

/** restart, stop and start of one instance, in virtual time ({@link AppHarness}). */
@ExtendWith(LogCapturingExtension.class)
class InstanceCommandsTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final AppHarness harness = new AppHarness(testKit, manualTime);
  private final TestProbe<OpResult> result = testKit.createTestProbe();

  @AfterEach
  void stopSupervisor() {
    harness.stop();
  }

  private OpResult run(ActorRef<MasterProtocol.Command> app, int index, ProcessOperation op) {
    app.tell(new InstanceCommands.Run(index, op, result.ref()));
    return result.receiveMessage();
  }

  /** Two ready, routed workers; returns web-0's launch. */
  private Launched[] twoReady(ActorRef<MasterProtocol.Command> app) {
    Launched web0 = harness.launches.receiveMessage();
    Launched web1 = harness.launches.receiveMessage();
    harness.makeReady(app, web0);
    harness.makeReady(app, web1);
    harness.routing.receiveSeveralMessages(2);
    return new Launched[] {web0, web1};
  }

  private void awaitState(String id, String state) {
    harness.status.fishForMessage(
        Duration.ofSeconds(3),
        s ->
            s.view().processes().stream()
                    .anyMatch(p -> p.id().equals(id) && p.state().equals(state))
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void stopDrainsTheProcessThenStopsItAndTheInstanceStaysStoppedUntilStart() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    Launched[] launched = twoReady(app);
    app.tell(new InstanceCommands.Run(0, ProcessOperation.STOP, result.ref()));
    assertEquals(Drain.class, harness.routing.receiveMessage().getClass(), "drained first");
    OpResult stopped = result.receiveMessage();
    assertEquals(OpResult.Status.OK, stopped.status(), stopped.message());
    assertTrue(stopped.message().contains("stays stopped until start web-0"), stopped.message());
    assertTrue(launched[0].process().stopped, "stopped, not killed");
    assertEquals(Offline.class, harness.routing.receiveMessage().getClass(), "then gone");
    assertFalse(launched[1].process().stopped, "web-1 untouched");
    awaitState("web-0", "stopped");

    harness.pass(app, Duration.ofMinutes(5)); // no backoff, no probe: nothing restarts it
    harness.launches.expectNoMessage(Duration.ZERO);
    assertEquals(OpResult.Status.OK, run(app, 0, ProcessOperation.STOP).status(), "idempotent");

    app.tell(new InstanceCommands.Run(0, ProcessOperation.START, result.ref()));
    Launched again = harness.launches.receiveMessage();
    assertEquals("web-0", again.spec().processId());
    result.expectNoMessage(Duration.ZERO); // answered once it serves
    harness.makeReady(app, again);
    assertEquals(OpResult.ok("started web-0"), result.receiveMessage());
    assertEquals(Online.class, harness.routing.receiveMessage().getClass());
    assertEquals(OpResult.ok("web-0 is running already"), run(app, 0, ProcessOperation.START));
  }

  @Test
  void aStoppedInstanceStaysStoppedThroughAScaleThatKeepsItAndAReloadButTheAppsRestartStartsIt() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    twoReady(app);
    run(app, 1, ProcessOperation.STOP);
    harness.routing.receiveMessage(); // drain

    app.tell(new AppSupervisor.Scale(3, result.ref()));
    harness.makeReady(app, harness.launches.receiveMessage()); // web-2 only
    assertEquals(OpResult.Status.OK, result.receiveMessage().status(), "a stopped one is fine");
    app.tell(new AppSupervisor.Reload(result.ref()));
    harness.makeReady(app, harness.launches.receiveMessage()); // web-0's new process
    harness.makeReady(app, harness.launches.receiveMessage()); // web-2's
    assertEquals(OpResult.ok("reloaded 2 instance(s) of web"), result.receiveMessage());
    harness.launches.expectNoMessage(Duration.ZERO);

    app.tell(new AppSupervisor.Restart(result.ref()));
    boolean web1Launched = false;
    for (int i = 0; i < 3; i++) {
      Launched next = harness.launches.receiveMessage();
      web1Launched |= next.spec().processId().equals("web-1");
      harness.makeReady(app, next);
    }
    assertTrue(web1Launched, "the app's restart starts the stopped instance too");
    assertEquals(OpResult.Status.OK, result.receiveMessage().status());
  }

  @Test
  void restartStartsTheNewProcessFirstThenDrainsAndStopsTheOld() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    Launched[] launched = twoReady(app);
    app.tell(new InstanceCommands.Run(1, ProcessOperation.RESTART, result.ref()));
    Launched incoming = harness.launches.receiveMessage();
    assertEquals("web-1", incoming.spec().processId());
    assertFalse(launched[1].process().stopped, "the old process serves until the new is ready");
    TestProbe<WorkerProtocol.Command> newWorker = harness.makeReady(app, incoming);
    assertEquals(
        newWorker.ref(), ((Online) harness.routing.receiveMessage()).worker().ref(), "routed");
    assertEquals(Drain.class, harness.routing.receiveMessage().getClass(), "then the old drains");
    OpResult restarted = result.receiveMessage();
    assertEquals(OpResult.Status.OK, restarted.status(), restarted.message());
    assertTrue(launched[1].process().stopped);
    assertFalse(launched[0].process().stopped, "web-0 untouched");
    assertEquals(Offline.class, harness.routing.receiveMessage().getClass(), "the old one exited");
  }

  @Test
  void aRestartWhoseNewProcessIsNeverReadyFailsAndTheOldOneKeepsServing() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(worker(1, 0, Duration.ofMillis(300), policy(5, Duration.ofMillis(10))));
    Launched old = harness.launches.receiveMessage();
    harness.makeReady(app, old);
    harness.routing.receiveMessage();
    app.tell(new InstanceCommands.Run(0, ProcessOperation.RESTART, result.ref()));
    Launched incoming = harness.launches.receiveMessage();
    harness.pass(app, Duration.ofMillis(300)); // its ready deadline: killed
    OpResult failed = result.receiveMessage();
    assertEquals(OpResult.Status.FAILED, failed.status());
    assertTrue(failed.message().contains("keeps serving"), failed.message());
    assertTrue(incoming.process().killed);
    assertFalse(old.process().stopped || old.process().killed);
  }

  @Test
  void anInstanceThatIsNotThereIsAnUnknownProcess() {
    ActorRef<MasterProtocol.Command> app =
        harness.spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    OpResult unknown = run(app, 3, ProcessOperation.RESTART);
    assertEquals(new OpResult(OpResult.Status.UNKNOWN_PROCESS, "unknown process 'web-3'"), unknown);
  }
}
