package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.master.supervision.SupervisionFixtures.FakeProcess;
import io.overseer.master.supervision.SupervisionFixtures.Launched;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * One app's supervisor under test, in virtual time: probes stand in for the OS launcher, the router
 * and the cluster, and {@link #pass} moves Pekko's {@link ManualTime} and the supervisor's clock
 * together. One per test; {@link #stop} ends the supervisor so that its timers cannot fire in the
 * next test's time.
 */
final class AppHarness {
  /** What the router was told. */
  sealed interface RoutingEvent {}

  record Online(RoutableWorker worker) implements RoutingEvent {}

  record Drain(ActorRef<WorkerProtocol.Command> worker) implements RoutingEvent {}

  record Offline(ActorRef<WorkerProtocol.Command> worker) implements RoutingEvent {}

  final TestProbe<Launched> launches;
  final TestProbe<RoutingEvent> routing;
  final TestProbe<Address> downed;
  final TestProbe<AppSupervisor.Status> status;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"));

  /** When set, the launcher fails with it, as the OS does for a missing executable. */
  volatile IOException launchFailure;

  private final ActorTestKit testKit;
  private final ManualTime manualTime;
  private final TestProbe<OpResult> barrier;
  private final AtomicLong pids = new AtomicLong(1000);
  private ActorRef<MasterProtocol.Command> spawned;

  /** The state of the app last spawned (read by a test only after a barrier: {@link #settled}). */
  AppProcesses state;

  AppHarness(ActorTestKit testKit, ManualTime manualTime) {
    this.testKit = testKit;
    this.manualTime = manualTime;
    this.launches = testKit.createTestProbe();
    this.routing = testKit.createTestProbe();
    this.downed = testKit.createTestProbe();
    this.status = testKit.createTestProbe();
    this.barrier = testKit.createTestProbe();
  }

  ActorRef<MasterProtocol.Command> spawn(AppSettings settings) {
    ProcessLauncher launcher =
        spec -> {
          if (launchFailure != null) {
            throw launchFailure;
          }
          FakeProcess process = new FakeProcess(pids.incrementAndGet());
          launches.ref().tell(new Launched(spec, process));
          return process;
        };
    RoutingTable table =
        new RoutingTable() {
          @Override
          public void online(RoutableWorker worker) {
            routing.ref().tell(new Online(worker));
          }

          @Override
          public void drain(ActorRef<WorkerProtocol.Command> worker) {
            routing.ref().tell(new Drain(worker));
          }

          @Override
          public CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker) {
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {
            routing.ref().tell(new Offline(worker));
          }
        };
    ClusterMembership membership =
        new ClusterMembership() {
          @Override
          public void down(Address node) {
            downed.ref().tell(node);
          }

          @Override
          public void leave(Address node) {}

          @Override
          public void subscribeToReachability(
              ActorRef<ClusterEvent.ReachabilityEvent> subscriber) {}
        };
    state = new AppProcesses();
    spawned =
        testKit.spawn(
            AppSupervisor.create(
                settings,
                state,
                launcher,
                table,
                membership,
                clock,
                Path.of("/tmp/run"),
                status.ref(),
                new SupervisionSettings.RestartLimit(3, Duration.ofMinutes(1))));
    return spawned;
  }

  void stop() {
    if (spawned != null) {
      testKit.stop(spawned);
    }
  }

  /**
   * Every message sent to the supervisor before this call has been handled when it returns: an
   * invalid scale changes nothing and is answered in turn.
   */
  void settled(ActorRef<MasterProtocol.Command> app) {
    app.tell(new AppSupervisor.Scale(-1, barrier.ref()));
    assertEquals(OpResult.Status.BAD_REQUEST, barrier.receiveMessage().status());
  }

  /** Virtual time passes: timers armed so far fire if due, and what they cause has been handled. */
  void pass(ActorRef<MasterProtocol.Command> app, Duration duration) {
    settled(app);
    clock.advance(duration);
    manualTime.timePasses(duration);
    settled(app);
  }

  /**
   * Waits until status shows web-0 in this state, due to be started again at this time (or not).
   */
  void awaitInstance(String state, Instant nextAttemptAt) {
    String next = nextAttemptAt == null ? null : nextAttemptAt.toString();
    status.fishForMessage(
        Duration.ofSeconds(3),
        s -> {
          ProcessView web0 = s.view().processes().get(0);
          return web0.state().equals(state) && Objects.equals(next, web0.nextAttemptAt())
              ? FishingOutcomes.complete()
              : FishingOutcomes.continueAndIgnore();
        });
  }

  MasterProtocol.Ready ready(Launched launched, ActorRef<WorkerProtocol.Command> worker) {
    return new MasterProtocol.Ready(
        "web",
        launched.spec().processId(),
        launched.process().pid(),
        worker,
        launched.spec().argv(),
        clock.millis(),
        "test");
  }

  /** Ready handshake for a launched process; returns the probe acting as its worker actor. */
  TestProbe<WorkerProtocol.Command> makeReady(
      ActorRef<MasterProtocol.Command> app, Launched launched) {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    app.tell(ready(launched, worker.ref()));
    worker.expectMessageClass(WorkerProtocol.Registered.class);
    return worker;
  }
}
