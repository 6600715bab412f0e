package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The supervisor with probes standing in for the OS launcher, the router and the workers. */
@ExtendWith(LogCapturingExtension.class)
class WorkerSupervisorTest {
  private static final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A process whose exit the test decides. */
  static final class FakeProcess implements LaunchedProcess {
    final long pid;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    volatile boolean killed;

    FakeProcess(long pid) {
      this.pid = pid;
    }

    @Override public long pid() { return pid; }
    @Override public CompletionStage<Integer> onExit() { return exit; }
    @Override public CompletionStage<Integer> stop(Duration grace) { exit.complete(143); return exit; }
    @Override public void kill() { killed = true; exit.complete(137); }
  }

  record Launched(LaunchSpec spec, FakeProcess process) {}

  sealed interface RoutingEvent {}
  record Online(RoutableWorker worker) implements RoutingEvent {}
  record Offline(String workerId) implements RoutingEvent {}

  private final AtomicLong pids = new AtomicLong(1000);
  private final TestProbe<Launched> launches = testKit.createTestProbe();
  private final TestProbe<RoutingEvent> routing = testKit.createTestProbe();
  private final TestProbe<Address> downed = testKit.createTestProbe();

  private ActorRef<MasterProtocol.Command> spawn(int instances, Duration readyTimeout) {
    WorkerPoolSettings settings = new WorkerPoolSettings(instances, "java", List.of("-Xmx64m"),
        Path.of("/opt/overseer-worker.jar"), "127.0.0.1:25520", Path.of("/tmp/logs"),
        readyTimeout, Duration.ofMillis(50), Duration.ofSeconds(1));
    ProcessLauncher launcher = spec -> {
      FakeProcess process = new FakeProcess(pids.incrementAndGet());
      launches.ref().tell(new Launched(spec, process));
      return process;
    };
    RoutingTable table = new RoutingTable() {
      @Override public void online(RoutableWorker worker) { routing.ref().tell(new Online(worker)); }
      @Override public void offline(String workerId, String reason) { routing.ref().tell(new Offline(workerId)); }
    };
    return testKit.spawn(WorkerSupervisor.create(settings, launcher, table, downed.ref()::tell, Clock.systemUTC()));
  }

  private static MasterProtocol.Ready ready(Launched launched, ActorRef<WorkerProtocol.Command> worker) {
    return new MasterProtocol.Ready(launched.spec().workerId(), launched.process().pid(), worker,
        launched.spec().argv(), System.currentTimeMillis(), "test");
  }

  private List<WorkerView> views(ActorRef<MasterProtocol.Command> supervisor) {
    TestProbe<List<WorkerView>> probe = testKit.createTestProbe();
    supervisor.tell(new WorkerSupervisor.GetWorkers(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void launchesEachInstanceWithAnArgumentArray() {
    spawn(2, Duration.ofSeconds(30));
    Launched first = launches.receiveMessage();
    Launched second = launches.receiveMessage();
    assertEquals(List.of("w0", "w1"), List.of(first.spec().workerId(), second.spec().workerId()));
    assertEquals(List.of("java", "-Xmx64m", "-jar", "/opt/overseer-worker.jar", "--join", "127.0.0.1:25520",
        "--id", "w0", "--watch-stdin"), first.spec().argv());
    assertEquals(Path.of("/tmp/logs/w0.log"), first.spec().logFile());
  }

  @Test
  void readyHandshakeMakesTheWorkerRoutableAndIsAcknowledged() {
    ActorRef<MasterProtocol.Command> supervisor = spawn(1, Duration.ofSeconds(30));
    Launched launched = launches.receiveMessage();
    assertEquals("launching", views(supervisor).get(0).state());
    routing.expectNoMessage(Duration.ofMillis(100));

    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    supervisor.tell(ready(launched, worker.ref()));
    worker.expectMessageClass(WorkerProtocol.Registered.class);
    Online online = (Online) routing.receiveMessage();
    assertEquals(new RoutableWorker("w0", launched.process().pid(), worker.ref()), online.worker());
    WorkerView view = views(supervisor).get(0);
    assertEquals("online", view.state());
    assertEquals(launched.process().pid(), view.pid());
  }

  @Test
  void aReadyFromAnOlderProcessOfTheSlotIsIgnored() {
    ActorRef<MasterProtocol.Command> supervisor = spawn(1, Duration.ofSeconds(30));
    launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> impostor = testKit.createTestProbe();
    supervisor.tell(new MasterProtocol.Ready("w0", 1, impostor.ref(), List.of(), 0, "test"));
    impostor.expectNoMessage(Duration.ofMillis(200));
    routing.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void anExitedProcessIsTakenOutOfRotationDownedAndRestarted() {
    ActorRef<MasterProtocol.Command> supervisor = spawn(1, Duration.ofSeconds(30));
    Launched first = launches.receiveMessage();
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    supervisor.tell(ready(first, worker.ref()));
    routing.expectMessageClass(Online.class);

    first.process().exit.complete(137);
    assertEquals(new Offline("w0"), routing.receiveMessage());
    assertEquals(worker.ref().path().address(), downed.receiveMessage());
    Launched second = launches.receiveMessage();
    assertEquals("w0", second.spec().workerId());
    assertTrue(second.process().pid() != first.process().pid());

    WorkerView view = views(supervisor).get(0);
    assertEquals(1, view.restarts());
    assertEquals(137, view.lastExitCode());
    assertEquals("launching", view.state());
  }

  @Test
  void aWorkerThatNeverSendsReadyIsKilledAndStartedAgain() {
    spawn(1, Duration.ofMillis(200));
    Launched silent = launches.receiveMessage();
    Launched next = launches.receiveMessage(Duration.ofSeconds(5));
    assertTrue(silent.process().killed, "the silent worker was killed at its ready deadline");
    assertEquals("w0", next.spec().workerId());
  }

  @Test
  void aWorkerJoiningByHandIsListedAndRemovedWhenItStops() {
    ActorRef<MasterProtocol.Command> supervisor = spawn(0, Duration.ofSeconds(30));
    TestProbe<WorkerProtocol.Command> remote = testKit.createTestProbe();
    supervisor.tell(new MasterProtocol.Ready("ext-42", 42, remote.ref(), List.of("java"), 0, "test"));
    remote.expectMessageClass(WorkerProtocol.Registered.class);
    routing.expectMessageClass(Online.class);
    WorkerView view = views(supervisor).get(0);
    assertEquals("ext-42", view.id());
    assertEquals(false, view.managed());

    remote.stop();
    assertEquals(new Offline("ext-42"), routing.receiveMessage());
    assertTrue(views(supervisor).isEmpty());
    launches.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void stopAllHandsOverTheProcessesAndRestartsNothing() {
    ActorRef<MasterProtocol.Command> supervisor = spawn(2, Duration.ofSeconds(30));
    Launched w0 = launches.receiveMessage();
    Launched w1 = launches.receiveMessage();
    TestProbe<List<LaunchedProcess>> stopped = testKit.createTestProbe();
    supervisor.tell(new WorkerSupervisor.StopAll(stopped.ref()));
    assertEquals(List.of(w0.process(), w1.process()), stopped.receiveMessage());
    w0.process().exit.complete(143);
    launches.expectNoMessage(Duration.ofMillis(300));
    WorkerView view = views(supervisor).get(0);
    assertEquals("stopped", view.state());
    assertNull(view.uptimeMillis() == 0 ? null : view, "a stopped worker has no uptime");
  }
}
