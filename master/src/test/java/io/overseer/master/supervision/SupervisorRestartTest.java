package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.master.supervision.SupervisionFixtures.FakeProcess;
import io.overseer.master.supervision.SupervisionFixtures.Launched;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.ClusterEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supervisors supervised: an app's supervisor actor that throws is restarted and re-adopts its
 * running processes; one that cannot is stopped for good and the master is told to end. The failure
 * is injected by a router stub that throws, as a real router bug would, on the way a worker is
 * published; no hook in the supervisor is involved.
 */
@ExtendWith(LogCapturingExtension.class)
class SupervisorRestartTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final List<ActorRef<MasterProtocol.Command>> spawned = new ArrayList<>();

  @AfterEach
  void stopSupervisors() {
    spawned.forEach(testKit::stop); // their timers must not fire into the next test's virtual time
  }

  private final AtomicLong pids = new AtomicLong(2000);
  private final TestProbe<Launched> launches = testKit.createTestProbe();
  private final TestProbe<RoutableWorker> routed = testKit.createTestProbe();
  private final TestProbe<AppSupervisor.Status> status = testKit.createTestProbe();
  private final TestProbe<OpResult> barrier = testKit.createTestProbe();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"));

  /** online() throws while this is above zero, counting down; negative: always. */
  private final AtomicInteger failuresToThrow = new AtomicInteger();

  private final ProcessLauncher launcher =
      spec -> {
        FakeProcess process = new FakeProcess(pids.incrementAndGet());
        launches.ref().tell(new Launched(spec, process));
        return process;
      };

  private final RoutingTable router =
      new RoutingTable() {
        @Override
        public void online(RoutableWorker worker) {
          if (failuresToThrow.get() < 0
              || failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("router stub: injected failure");
          }
          routed.ref().tell(worker);
        }

        @Override
        public void drain(ActorRef<WorkerProtocol.Command> worker) {}

        @Override
        public CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {}
      };

  private final ClusterMembership membership =
      new ClusterMembership() {
        @Override
        public void down(Address node) {}

        @Override
        public void leave(Address node) {}

        @Override
        public void subscribeToReachability(ActorRef<ClusterEvent.ReachabilityEvent> subscriber) {}
      };

  private static final AppSettings WEB =
      SupervisionFixtures.worker(
          1, 0, Duration.ofSeconds(30), SupervisionFixtures.policy(5, Duration.ofMillis(10)));

  private Behavior<MasterProtocol.Command> app(
      AppProcesses state, ActorRef<AppSupervisor.Status> listener, int maxRestarts) {
    return AppSupervisor.create(
        WEB,
        state,
        launcher,
        router,
        membership,
        clock,
        Path.of("/tmp/run"),
        listener,
        new SupervisionSettings.RestartLimit(maxRestarts, Duration.ofMinutes(1)));
  }

  private ActorRef<MasterProtocol.Command> spawn(Behavior<MasterProtocol.Command> behavior) {
    ActorRef<MasterProtocol.Command> ref = testKit.spawn(behavior);
    spawned.add(ref);
    return ref;
  }

  /**
   * Every message sent to the app before this call has been handled when it returns: an invalid
   * scale changes nothing and is answered in turn (by a restarted incarnation too: it proves the
   * app's supervisor is alive, not stopped).
   */
  private void settled(ActorRef<MasterProtocol.Command> app) {
    app.tell(new AppSupervisor.Scale(-1, barrier.ref()));
    assertEquals(OpResult.Status.BAD_REQUEST, barrier.receiveMessage().status());
  }

  /** The same through the root supervisor, for the app web. */
  private void webSettled(ActorRef<MasterProtocol.Command> supervisor) {
    supervisor.tell(
        new ProcessSupervisor.AppCommand(
            "web", replyTo -> new AppSupervisor.Scale(-1, replyTo), barrier.ref()));
    assertEquals(OpResult.Status.BAD_REQUEST, barrier.receiveMessage().status());
  }

  /** Virtual time passes: timers armed so far fire if due, and what they cause has been handled. */
  private void pass(ActorRef<MasterProtocol.Command> app, Duration duration) {
    settled(app);
    clock.advance(duration);
    manualTime.timePasses(duration);
    settled(app);
  }

  private TestProbe<WorkerProtocol.Command> ready(
      ActorRef<MasterProtocol.Command> app, Launched launched) {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    app.tell(
        new MasterProtocol.Ready(
            "web",
            launched.spec().processId(),
            launched.process().pid(),
            worker.ref(),
            launched.spec().argv(),
            clock.millis(),
            "test"));
    worker.expectMessageClass(WorkerProtocol.Registered.class);
    return worker;
  }

  /** Waits until status shows web-0 in this state (its timers are armed by then). */
  private void awaitWeb0(String state) {
    status.fishForMessage(
        Duration.ofSeconds(3),
        s ->
            s.view().processes().get(0).state().equals(state)
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void aSupervisorThatThrowsIsRestartedAndKeepsItsRunningProcessAndItsRestartHistory() {
    ActorRef<MasterProtocol.Command> app = spawn(app(new AppProcesses(), status.ref(), 3));
    Launched first = launches.receiveMessage();
    ready(app, first);
    routed.receiveMessage();
    first.process().exit.complete(137); // a crash: the history now holds one restart
    awaitWeb0("waiting");
    pass(app, Duration.ofMillis(10));
    Launched second = launches.receiveMessage();

    failuresToThrow.set(1); // publishing the new worker to the router throws once
    LoggingTestKit.warn("restarted after a failure")
        .expect(
            testKit.system(),
            () -> {
              ready(app, second);
              return null;
            });

    // The restarted supervisor published the running worker again, and launched and stopped
    // nothing.
    assertEquals(second.process().pid(), routed.receiveMessage().pid());
    pass(app, Duration.ofSeconds(10)); // far past every backoff and deadline
    launches.expectNoMessage(Duration.ZERO);
    assertFalse(
        second.process().stopped || second.process().killed, "the running process was kept");
    status.fishForMessage(
        Duration.ofSeconds(3),
        s -> {
          ProcessView web0 = s.view().processes().get(0);
          return Long.valueOf(second.process().pid()).equals(web0.pid())
                  && web0.restarts() == 1
                  && web0.state().equals("online")
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });

    // And it still supervises: the next crash is restarted, counted on top of the kept history.
    second.process().exit.complete(137);
    awaitWeb0("waiting");
    pass(app, Duration.ofMillis(20));
    Launched third = launches.receiveMessage();
    assertEquals("web-0", third.spec().processId());
    status.fishForMessage(
        Duration.ofSeconds(3),
        s ->
            s.view().processes().get(0).restarts() == 2
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  @Test
  void aProcessThatExitedWhileTheSupervisorWasFailingIsStillRestarted() {
    ActorRef<MasterProtocol.Command> app = spawn(app(new AppProcesses(), status.ref(), 3));
    Launched first = launches.receiveMessage();
    failuresToThrow.set(1);
    ready(app, first);
    routed.receiveMessage(); // re-published by the restarted incarnation
    first.process().exit.complete(137);
    awaitWeb0("waiting");
    pass(app, Duration.ofMillis(10));
    assertEquals("web-0", launches.receiveMessage().spec().processId());
  }

  @Test
  void timersCancelledByTheRestartAreArmedAgainFromTheRecordedDeadlines() {
    AppSettings slowReady =
        SupervisionFixtures.worker(
            2, 0, Duration.ofMillis(500), SupervisionFixtures.policy(5, Duration.ofMillis(400)));
    ActorRef<MasterProtocol.Command> app =
        spawn(
            AppSupervisor.create(
                slowReady,
                new AppProcesses(),
                launcher,
                router,
                membership,
                clock,
                Path.of("/tmp/run"),
                status.ref(),
                new SupervisionSettings.RestartLimit(3, Duration.ofMinutes(1))));
    Launched web0 = launches.receiveMessage();
    Launched web1 = launches.receiveMessage();
    ready(app, web0);
    routed.receiveMessage();
    pass(app, Duration.ofMillis(100));
    web0.process()
        .exit
        .complete(
            137); // web-0 now waits out its backoff (to 500 ms); web-1 its ready deadline (500 ms)
    awaitWeb0("waiting");
    TestProbe<OpResult> result = testKit.createTestProbe();
    app.tell(new AppSupervisor.InjectFailure(result.ref())); // the restart cancels both timers
    result.receiveMessage();

    pass(app, Duration.ofMillis(399));
    launches.expectNoMessage(Duration.ZERO);
    assertFalse(web1.process().killed, "not before its deadline");
    pass(app, Duration.ofMillis(1)); // 500 ms: both recorded times are due, neither later
    assertTrue(web1.process().killed, "web-1 was killed at its ready deadline all the same");
    assertEquals("web-0", launches.receiveMessage().spec().processId());
  }

  @Test
  void aSupervisorThatCannotReadoptItsProcessesStopsAndTheMasterIsToldToEnd() {
    TestProbe<String> fatal = testKit.createTestProbe();
    ActorRef<MasterProtocol.Command> supervisor =
        spawn(
            ProcessSupervisor.create(
                List.of(WEB),
                "web",
                (settings, state, listener) -> app(state, listener, 3),
                clock,
                16,
                fatal.ref()::tell));
    Launched first = launches.receiveMessage();
    failuresToThrow.set(-1); // the router keeps failing: re-adopting fails too
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    supervisor.tell(
        new MasterProtocol.Ready(
            "web",
            "web-0",
            first.process().pid(),
            worker.ref(),
            List.of(),
            clock.millis(),
            "test"));

    String reason = fatal.receiveMessage(Duration.ofSeconds(5));
    assertTrue(reason.contains("web") && reason.contains("could not re-adopt"), reason);
    // The dead app's process is not lost: shutdown gets it to stop.
    TestProbe<List<LaunchedProcess>> stopped = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.StopAll(stopped.ref()));
    assertEquals(List.of(first.process()), stopped.receiveMessage());
    launches.expectNoMessage(Duration.ZERO);
  }

  @Test
  void pastItsRestartLimitASupervisorStopsAndTheMasterIsToldToEnd() {
    TestProbe<String> fatal = testKit.createTestProbe();
    TestProbe<OpResult> result = testKit.createTestProbe();
    ActorRef<MasterProtocol.Command> supervisor =
        spawn(
            ProcessSupervisor.create(
                List.of(WEB),
                "web",
                (settings, state, listener) -> app(state, listener, 2),
                clock,
                16,
                fatal.ref()::tell));
    launches.receiveMessage();
    for (int i = 0; i < 2; i++) {
      supervisor.tell(
          new ProcessSupervisor.AppCommand("web", AppSupervisor.InjectFailure::new, result.ref()));
      result.receiveMessage();
      webSettled(supervisor); // answered: restarted within the limit, not stopped
      fatal.expectNoMessage(Duration.ZERO);
    }
    supervisor.tell(
        new ProcessSupervisor.AppCommand("web", AppSupervisor.InjectFailure::new, result.ref()));
    assertTrue(
        fatal.receiveMessage(Duration.ofSeconds(5)).contains("supervisor of app web stopped"));
    launches.expectNoMessage(Duration.ZERO); // nothing was relaunched by the restarts
  }

  @Test
  void scaleBeyondTheAppOrHostMaximumIsRefusedNamingTheLimit() {
    TestProbe<OpResult> result = testKit.createTestProbe();
    ActorRef<MasterProtocol.Command> supervisor =
        spawn(
            ProcessSupervisor.create(
                List.of(WEB),
                "web",
                (settings, state, listener) -> app(state, listener, 2),
                clock,
                4,
                s -> {}));
    launches.receiveMessage();
    supervisor.tell(new ProcessSupervisor.Scale("web", 1_000_000_000, result.ref()));
    OpResult app = result.receiveMessage();
    assertEquals(OpResult.Status.BAD_REQUEST, app.status());
    assertTrue(app.message().contains("overseer.apps.web.max-instances = 8"), app.message());
    supervisor.tell(new ProcessSupervisor.Scale("web", 5, result.ref()));
    OpResult host = result.receiveMessage();
    assertEquals(OpResult.Status.BAD_REQUEST, host.status());
    assertTrue(
        host.message().contains("overseer.supervision.max-local-processes = 4"), host.message());
    supervisor.tell(new ProcessSupervisor.Scale("nope", 1, result.ref()));
    assertEquals(OpResult.Status.UNKNOWN_APP, result.receiveMessage().status());
    webSettled(supervisor);
    launches.expectNoMessage(Duration.ZERO);
  }
}
