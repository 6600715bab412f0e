package io.overseer.master.supervision;

import static io.overseer.master.supervision.SupervisionFixtures.policy;
import static io.overseer.master.supervision.SupervisionFixtures.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.supervision.AppHarness.Drain;
import io.overseer.master.supervision.AppHarness.Offline;
import io.overseer.master.supervision.AppHarness.Online;
import io.overseer.master.supervision.AppHarness.RoutingEvent;
import io.overseer.master.supervision.SupervisionFixtures.Launched;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.Address;
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
 * An app's supervisor with probes standing in for the OS launcher, the router and the workers
 * ({@link AppHarness}), in virtual time: the test moves Pekko's {@link ManualTime} and the
 * supervisor's clock together, so a backoff or deadline is checked to the millisecond without
 * waiting for it.
 */
@ExtendWith(LogCapturingExtension.class)
class AppSupervisorTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final AppHarness harness = new AppHarness(testKit, manualTime);
  private final TestProbe<Launched> launches = harness.launches;
  private final TestProbe<RoutingEvent> routing = harness.routing;
  private final TestProbe<Address> downed = harness.downed;
  private final ManualClock clock = harness.clock;

  @AfterEach
  void stopSupervisor() {
    harness.stop();
  }

  private ActorRef<MasterProtocol.Command> spawn(AppSettings settings) {
    return harness.spawn(settings);
  }

  private void settled(ActorRef<MasterProtocol.Command> app) {
    harness.settled(app);
  }

  private void pass(ActorRef<MasterProtocol.Command> app, Duration duration) {
    harness.pass(app, duration);
  }

  private void awaitInstance(String state, Instant nextAttemptAt) {
    harness.awaitInstance(state, nextAttemptAt);
  }

  private TestProbe<WorkerProtocol.Command> makeReady(
      ActorRef<MasterProtocol.Command> app, Launched launched) {
    return harness.makeReady(app, launched);
  }

  @Test
  void launchesEachInstanceWithAnArgumentArrayAndItsInstanceNumber() {
    spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(50))));
    Launched first = launches.receiveMessage();
    Launched second = launches.receiveMessage();
    assertEquals(
        List.of("web-0", "web-1"), List.of(first.spec().processId(), second.spec().processId()));
    assertEquals(
        List.of(
            "java",
            "-Xmx64m",
            "-jar",
            "/opt/w.jar",
            "--join",
            "127.0.0.1:25520",
            "--app",
            "web",
            "--config",
            "/etc/overseer.conf",
            "--id",
            "web-0",
            "--watch-stdin"),
        first.spec().argv());
    assertEquals("web", first.spec().env().get("OVERSEER_APP"));
    assertEquals("0", first.spec().env().get("OVERSEER_INSTANCE"));
    assertEquals("1", second.spec().env().get("OVERSEER_INSTANCE"));
    assertEquals("test", first.spec().env().get("MODE"));
    assertEquals(Path.of("/tmp/logs/web-0-out.log"), first.spec().stdoutLog());
  }

  @Test
  void onAnAgentEveryProcessIdCarriesTheHostAndSoDoItsLogFiles() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(50))).onAgent("h2"));
    Launched first = launches.receiveMessage();
    Launched second = launches.receiveMessage();
    assertEquals(
        List.of("web-0@h2", "web-1@h2"),
        List.of(first.spec().processId(), second.spec().processId()));
    assertTrue(first.spec().argv().containsAll(List.of("--id", "web-0@h2")));
    assertEquals("0", first.spec().env().get("OVERSEER_INSTANCE"), "numbered per host");
    assertEquals(Path.of("/tmp/logs/web-0@h2-out.log"), first.spec().stdoutLog());
    assertEquals(Path.of("/tmp/logs/web-1@h2-err.log"), second.spec().stderrLog());
    makeReady(app, first);
    Online online = (Online) routing.receiveMessage();
    assertEquals("web-0@h2", online.worker().workerId());
    harness.status.fishForMessage(
        Duration.ofSeconds(3),
        s ->
            s.view().processes().stream()
                    .map(ProcessView::id)
                    .toList()
                    .equals(List.of("web-0@h2", "web-1@h2"))
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  @Test
  void readyHandshakeMakesTheWorkerRoutable() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(50))));
    Launched launched = launches.receiveMessage();
    settled(app);
    routing.expectNoMessage(Duration.ZERO); // launched is not ready: not routed
    TestProbe<WorkerProtocol.Command> worker = makeReady(app, launched);
    Online online = (Online) routing.receiveMessage();
    assertEquals(
        new RoutableWorker("web-0", launched.process().pid(), worker.ref()), online.worker());
  }

  @Test
  void aReadyWorkerThatAnnouncesItselfAgainIsRoutedAgainButASpareIsNot() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 1, Duration.ofSeconds(30), policy(5, Duration.ofMillis(50))));
    Launched current = launches.receiveMessage();
    Launched spare = launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> worker = makeReady(app, current);
    routing.expectMessageClass(Online.class);
    TestProbe<WorkerProtocol.Command> spareWorker = makeReady(app, spare);

    // Whatever took it out of rotation meanwhile, a worker that says it is ready is reachable.
    app.tell(harness.ready(current, worker.ref()));
    worker.expectMessageClass(WorkerProtocol.Registered.class);
    assertEquals(worker.ref(), ((Online) routing.receiveMessage()).worker().ref());
    app.tell(harness.ready(spare, spareWorker.ref()));
    spareWorker.expectMessageClass(WorkerProtocol.Registered.class);
    settled(app);
    routing.expectNoMessage(Duration.ZERO); // a spare stays unrouted
  }

  @Test
  void anExitedProcessIsTakenOutOfRotationDownedAndRestartedWithGrowingDelays() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(100))));
    Launched first = launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> worker = makeReady(app, first);
    routing.expectMessageClass(Online.class);

    first.process().exit.complete(137);
    assertEquals(new Offline(worker.ref()), routing.receiveMessage());
    assertEquals(worker.ref().path().address(), downed.receiveMessage());
    awaitInstance("waiting", clock.instant().plusMillis(100)); // status says when it comes back
    pass(app, Duration.ofMillis(99));
    launches.expectNoMessage(Duration.ZERO); // not before the initial backoff
    pass(app, Duration.ofMillis(1));
    Launched second = launches.receiveMessage();
    assertNotEquals(first.process().pid(), second.process().pid());

    second.process().exit.complete(1);
    awaitInstance("waiting", clock.instant().plusMillis(200));
    pass(app, Duration.ofMillis(199));
    launches.expectNoMessage(Duration.ZERO); // the second restart waits twice as long
    pass(app, Duration.ofMillis(1));
    assertEquals("web-0", launches.receiveMessage().spec().processId());
  }

  @Test
  void aWorkerThatAnnouncesItselfAgainIsWatchedAgainAndNotLaunchedTwice() {
    // A worker announces itself before its node is Up and once more when it is; the repeat is
    // watched anew (Pekko drops a watch on a node not yet Up). Here: the repeat leaves one working
    // watch, one routed worker and no second launch.
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    Launched launched = launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> worker = makeReady(app, launched);
    assertEquals(Online.class, routing.receiveMessage().getClass());
    app.tell(harness.ready(launched, worker.ref()));
    worker.expectMessageClass(WorkerProtocol.Registered.class);
    settled(app);
    assertFalse(launched.process().killed);
    worker.stop(); // its node gone while its process lives on: the watch must still see it
    routing.fishForMessage(
        Duration.ofSeconds(3),
        e ->
            e instanceof Offline
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    settled(app);
    assertTrue(launched.process().killed, "the watch made at the repeat saw the worker go");
    launches.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aWorkerThatNeverSendsReadyIsKilledAndStartedAgain() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofMillis(200), policy(5, Duration.ofMillis(10))));
    Launched silent = launches.receiveMessage();
    pass(app, Duration.ofMillis(199));
    assertFalse(silent.process().killed, "killed before its ready deadline");
    pass(app, Duration.ofMillis(1));
    assertTrue(silent.process().killed, "the silent worker was killed at its ready deadline");
    awaitInstance("waiting", clock.instant().plusMillis(10));
    pass(app, Duration.ofMillis(10));
    assertEquals("web-0", launches.receiveMessage().spec().processId());
  }

  @Test
  void pastTheRestartIntensityTheInstanceIsErroredThenProbedAfterTheCoolDown() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(2, Duration.ofMillis(10))));
    launches.receiveMessage().process().exit.complete(1);
    awaitInstance("waiting", clock.instant().plusMillis(10));
    pass(app, Duration.ofMillis(10));
    launches.receiveMessage().process().exit.complete(1);
    awaitInstance("waiting", clock.instant().plusMillis(20));
    pass(app, Duration.ofMillis(20));
    launches.receiveMessage().process().exit.complete(1); // third crash: over max-restarts = 2
    awaitInstance("errored", clock.instant().plusMillis(300));
    pass(app, Duration.ofMillis(299));
    launches.expectNoMessage(Duration.ZERO); // errored: nothing during the cool-down
    pass(app, Duration.ofMillis(1));
    assertEquals("web-0", launches.receiveMessage().spec().processId());
  }

  @Test
  void aStopExitCodeIsNotRestarted() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    launches.receiveMessage().process().exit.complete(0);
    awaitInstance("stopped", null);
    pass(app, Duration.ofMinutes(1)); // far past every backoff and cool-down
    launches.expectNoMessage(Duration.ZERO);
  }

  @Test
  void aReadySpareTakesOverALostWorkerAtOnce() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 1, Duration.ofSeconds(30), policy(5, Duration.ofSeconds(2))));
    Launched current = launches.receiveMessage();
    Launched spare = launches.receiveMessage();
    assertEquals("web-spare-0", spare.spec().processId());
    makeReady(app, current);
    routing.expectMessageClass(Online.class);
    TestProbe<WorkerProtocol.Command> spareWorker = makeReady(app, spare);
    settled(app);
    routing.expectNoMessage(Duration.ZERO); // a spare is not routed

    current.process().exit.complete(137);
    routing.expectMessageClass(Offline.class);
    Online promoted = (Online) routing.receiveMessage();
    assertEquals(spareWorker.ref(), promoted.worker().ref());
    launches.expectNoMessage(
        Duration.ZERO); // taken over at once: nothing launched for the instance
    // a new spare boots in the background after the initial backoff
    pass(app, Duration.ofMillis(1999));
    launches.expectNoMessage(Duration.ZERO);
    pass(app, Duration.ofMillis(1));
    assertEquals("web-spare-1", launches.receiveMessage().spec().processId());
  }

  @Test
  void reloadStartsTheNewProcessFirstThenDrainsAndStopsTheOld() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    Launched old = launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> oldWorker = makeReady(app, old);
    routing.expectMessageClass(Online.class);

    TestProbe<OpResult> result = testKit.createTestProbe();
    app.tell(new AppSupervisor.Reload(result.ref()));
    Launched incoming = launches.receiveMessage();
    assertTrue(!old.process().stopped, "the old process serves until the new one is ready");
    TestProbe<WorkerProtocol.Command> newWorker = makeReady(app, incoming);
    assertEquals(newWorker.ref(), ((Online) routing.receiveMessage()).worker().ref());
    assertEquals(new Drain(oldWorker.ref()), routing.receiveMessage());
    assertEquals(OpResult.Status.OK, result.receiveMessage().status());
    assertTrue(old.process().stopped);
  }

  @Test
  void aReloadWhoseNewProcessIsNeverReadyKeepsTheOldOne() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofMillis(300), policy(5, Duration.ofMillis(10))));
    Launched old = launches.receiveMessage();
    makeReady(app, old);
    routing.expectMessageClass(Online.class);
    TestProbe<OpResult> result = testKit.createTestProbe();
    app.tell(new AppSupervisor.Reload(result.ref()));
    Launched incoming = launches.receiveMessage();
    pass(app, Duration.ofMillis(300)); // the new process's ready deadline
    OpResult outcome = result.receiveMessage();
    assertEquals(OpResult.Status.FAILED, outcome.status());
    assertTrue(outcome.message().contains("rollout stopped"), outcome.message());
    assertTrue(incoming.process().killed);
    assertTrue(!old.process().stopped && !old.process().killed, "the old process keeps serving");
  }

  @Test
  void aReloadWhoseNewProcessCannotBeStartedFailsKeepsTheOldOnesAndCanBeRunAgain() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(2, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    Launched web0 = launches.receiveMessage();
    Launched web1 = launches.receiveMessage();
    makeReady(app, web0);
    makeReady(app, web1);
    routing.receiveSeveralMessages(2);

    harness.launchFailure = new IOException("no such file");
    TestProbe<OpResult> result = testKit.createTestProbe();
    app.tell(new AppSupervisor.Reload(result.ref()));
    OpResult failed = result.receiveMessage();
    assertEquals(OpResult.Status.FAILED, failed.status());
    assertTrue(
        failed.message().contains("web-0: launch failed: no such file; rollout stopped"),
        failed.message());
    assertFalse(
        web0.process().stopped
            || web0.process().killed
            || web1.process().stopped
            || web1.process().killed,
        "the old processes keep serving");
    settled(app);
    assertEquals(
        0, harness.state.supervisorRestarts(), "the supervisor itself did not fail on the way");

    harness.launchFailure =
        null; // fixed: the next reload replaces both, one at a time (rollout-batch = 1)
    app.tell(new AppSupervisor.Reload(result.ref()));
    makeReady(app, launches.receiveMessage());
    makeReady(app, launches.receiveMessage());
    assertEquals(OpResult.ok("reloaded 2 instance(s) of web"), result.receiveMessage());
    assertTrue(web0.process().stopped && web1.process().stopped);
  }

  @Test
  void scaleUpLaunchesAndScaleDownDrainsThenStops() {
    ActorRef<MasterProtocol.Command> app =
        spawn(worker(1, 0, Duration.ofSeconds(30), policy(5, Duration.ofMillis(10))));
    makeReady(app, launches.receiveMessage());
    TestProbe<OpResult> result = testKit.createTestProbe();
    app.tell(new AppSupervisor.Scale(2, result.ref()));
    Launched added = launches.receiveMessage();
    assertEquals("1", added.spec().env().get("OVERSEER_INSTANCE"));
    TestProbe<WorkerProtocol.Command> addedWorker = makeReady(app, added);
    assertEquals(OpResult.Status.OK, result.receiveMessage().status());

    routing.receiveSeveralMessages(2); // the two Online events
    app.tell(new AppSupervisor.Scale(1, result.ref()));
    assertEquals(new Drain(addedWorker.ref()), routing.receiveMessage());
    assertEquals(OpResult.Status.OK, result.receiveMessage().status());
    assertTrue(added.process().stopped);
  }
}
