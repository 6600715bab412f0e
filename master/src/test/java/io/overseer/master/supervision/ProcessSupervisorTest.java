package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.supervision.SupervisionFixtures.FakeProcess;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The root of supervision with probes standing in for the app supervisors: it must hand each
 * message to the right app, answer for apps that do not exist, refuse a scale over the app's or the
 * host's limit before any app is asked, and collect every app's processes at shutdown.
 */
@ExtendWith(LogCapturingExtension.class)
class ProcessSupervisorTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** What each fake app supervisor received, and the status listener it was given. */
  private final Map<String, TestProbe<MasterProtocol.Command>> received = new ConcurrentHashMap<>();

  private final Map<String, ActorRef<AppSupervisor.Status>> listeners = new ConcurrentHashMap<>();
  private final TestProbe<String> fatal = testKit.createTestProbe();

  private static AppSettings app(String name, int instances, int spares) {
    AppSettings web =
        SupervisionFixtures.worker(
            instances,
            spares,
            Duration.ofSeconds(30),
            SupervisionFixtures.policy(5, Duration.ofMillis(10)));
    return new AppSettings(
        name,
        web.mode(),
        instances,
        spares,
        web.weight(),
        web.workerWeights(),
        web.launch(),
        web.readyTimeout(),
        web.killTimeout(),
        web.memoryLimitBytes(),
        web.memoryKind(),
        web.restart(),
        web.pingInterval(),
        web.livenessTimeout(),
        web.rolloutBatch(),
        web.maxInstances());
  }

  /**
   * A stand-in app supervisor: forwards every message to its probe, answers a reload (so a test can
   * tell it is alive), and stops when told to fail.
   */
  private Behavior<MasterProtocol.Command> fakeApp(
      AppSettings settings, ActorRef<AppSupervisor.Status> listener) {
    TestProbe<MasterProtocol.Command> probe = testKit.createTestProbe();
    received.put(settings.name(), probe);
    listeners.put(settings.name(), listener);
    return Behaviors.receive(MasterProtocol.Command.class)
        .onMessage(AppSupervisor.InjectFailure.class, m -> Behaviors.stopped())
        .onMessage(
            AppSupervisor.Reload.class,
            m -> {
              m.replyTo().tell(OpResult.ok("alive"));
              probe.ref().tell(m);
              return Behaviors.same();
            })
        .onAnyMessage(
            m -> {
              probe.ref().tell(m);
              return Behaviors.same();
            })
        .build();
  }

  /**
   * web (2 instances, default app for workers naming none) and api (3 instances), at most 8
   * processes.
   */
  private ActorRef<MasterProtocol.Command> spawn() {
    ActorRef<MasterProtocol.Command> supervisor =
        testKit.spawn(
            ProcessSupervisor.create(
                List.of(app("web", 2, 0), app("api", 3, 0)),
                "web",
                (settings, state, listener) -> fakeApp(settings, listener),
                Clock.fixed(NOW, ZoneOffset.UTC),
                8,
                fatal.ref()::tell));
    settled(supervisor); // its setup has spawned (and so registered) every fake app
    return supervisor;
  }

  private static MasterProtocol.Ready ready(
      String app, String workerId, ActorRef<WorkerProtocol.Command> worker) {
    return new MasterProtocol.Ready(
        app, workerId, 4242, worker, List.of(), NOW.toEpochMilli(), "test");
  }

  /** Every message sent to the supervisor before this one has been handled when this returns. */
  private static void settled(ActorRef<MasterProtocol.Command> supervisor) {
    TestProbe<List<AppView>> apps = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.GetApps(apps.ref()));
    apps.receiveMessage();
  }

  @Test
  void aReadyGoesToTheSupervisorOfTheAppItNamesAndANamelessOneToTheDefaultApp() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    MasterProtocol.Ready toApi = ready("api", "api-0", worker.ref());
    MasterProtocol.Ready nameless = ready("", "joined-by-hand", worker.ref());
    supervisor.tell(toApi);
    supervisor.tell(nameless);
    assertEquals(toApi, received.get("api").receiveMessage());
    assertEquals(nameless, received.get("web").receiveMessage());
    settled(supervisor);
    received.get("api").expectNoMessage(Duration.ZERO);
  }

  @Test
  void aReadyForAnUnknownAppIsLoggedAndReachesNoApp() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    LoggingTestKit.warn("for unknown app 'nope' ignored")
        .expect(
            testKit.system(),
            () -> {
              supervisor.tell(ready("nope", "nope-0", worker.ref()));
              return null;
            });
    settled(supervisor);
    received.values().forEach(probe -> probe.expectNoMessage(Duration.ZERO));
    worker.expectNoMessage(Duration.ZERO);
  }

  @Test
  void anOperationOnAnUnknownAppIsAnsweredAndOneOnAKnownAppReachesItWithTheCallersReplyTo() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<OpResult> result = testKit.createTestProbe();
    supervisor.tell(
        new ProcessSupervisor.AppCommand("nope", AppSupervisor.Reload::new, result.ref()));
    OpResult unknown = result.receiveMessage();
    assertEquals(OpResult.Status.UNKNOWN_APP, unknown.status());
    assertTrue(unknown.message().contains("'nope'"), unknown.message());

    supervisor.tell(
        new ProcessSupervisor.AppCommand("api", AppSupervisor.Reload::new, result.ref()));
    AppSupervisor.Reload reload = (AppSupervisor.Reload) received.get("api").receiveMessage();
    assertEquals(result.ref(), reload.replyTo());
  }

  @Test
  void aProcessCommandReachesTheAppOfTheIdWithItsInstanceAndAnUnknownIdIsAnsweredNamingIt() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<OpResult> result = testKit.createTestProbe();
    supervisor.tell(
        new ProcessSupervisor.ProcessCommand("api-2", ProcessOperation.STOP, result.ref()));
    assertEquals(
        new InstanceCommands.Run(2, ProcessOperation.STOP, result.ref()),
        received.get("api").receiveMessage());
    for (String unknown : List.of("web-x", "api", "api-01", "nope-0", "web-0@h2", "api-2x")) {
      supervisor.tell(
          new ProcessSupervisor.ProcessCommand(unknown, ProcessOperation.RESTART, result.ref()));
      OpResult answer = result.receiveMessage();
      assertEquals(OpResult.Status.UNKNOWN_PROCESS, answer.status(), unknown);
      assertEquals("unknown process '" + unknown + "'", answer.message());
    }
    supervisor.tell(
        new ProcessSupervisor.ProcessCommand("web-spare-0", ProcessOperation.STOP, result.ref()));
    OpResult spare = result.receiveMessage();
    assertEquals(OpResult.Status.BAD_REQUEST, spare.status());
    assertTrue(spare.message().contains("web-spare-0 is a spare"), spare.message());
    settled(supervisor);
    received.values().forEach(probe -> probe.expectNoMessage(Duration.ZERO));
  }

  @Test
  void aScaleOverTheAppsOrTheHostsLimitIsRefusedBeforeTheAppIsAsked() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<OpResult> result = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.Scale("web", 9, result.ref()));
    OpResult overApp = result.receiveMessage();
    assertEquals(OpResult.Status.BAD_REQUEST, overApp.status());
    assertTrue(
        overApp.message().contains("overseer.apps.web.max-instances = 8"), overApp.message());

    supervisor.tell(new ProcessSupervisor.Scale("web", 6, result.ref())); // 6 + api's 3 = 9 > 8
    OpResult overHost = result.receiveMessage();
    assertEquals(OpResult.Status.BAD_REQUEST, overHost.status());
    assertTrue(overHost.message().contains("would make 9 processes"), overHost.message());
    assertTrue(
        overHost.message().contains("overseer.supervision.max-local-processes = 8"),
        overHost.message());

    supervisor.tell(new ProcessSupervisor.Scale("nope", 1, result.ref()));
    assertEquals(OpResult.Status.UNKNOWN_APP, result.receiveMessage().status());
    settled(supervisor);
    received.get("web").expectNoMessage(Duration.ZERO);
  }

  @Test
  void theHostLimitCountsTheOtherAppsAsTheyLastReportedThemselves() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<OpResult> result = testKit.createTestProbe();
    // api reports that it now runs 1 instance (it was scaled down): web may then grow to 7.
    listeners
        .get("api")
        .tell(new AppSupervisor.Status(new AppView("api", "worker", 1, 0, "online", List.of())));
    settled(supervisor);
    supervisor.tell(new ProcessSupervisor.Scale("web", 7, result.ref()));
    AppSupervisor.Scale scale = (AppSupervisor.Scale) received.get("web").receiveMessage();
    assertEquals(7, scale.instances());
    assertEquals(result.ref(), scale.replyTo());
  }

  @Test
  void getAppsShowsEachAppsLatestViewWithUptimesAsOfTheQuery() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    ProcessView web0 =
        new ProcessView(
            "web-0",
            "web",
            "worker",
            0,
            true,
            4242L,
            "online",
            "web-0",
            "local",
            NOW.minusSeconds(5).toString(),
            1,
            0,
            List.of(),
            0,
            0,
            -1,
            -1,
            0,
            null,
            null,
            "test",
            List.of(),
            null,
            null,
            MasterProtocol.WorkerFigures.NONE);
    listeners
        .get("web")
        .tell(
            new AppSupervisor.Status(
                new AppView("web", "worker", 2, 0, "degraded", List.of(web0))));
    settled(supervisor);
    TestProbe<List<AppView>> apps = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.GetApps(apps.ref()));
    List<AppView> views = apps.receiveMessage();
    assertEquals(List.of("web", "api"), views.stream().map(AppView::name).toList());
    assertEquals("degraded", views.get(0).state());
    assertEquals(
        5_000, views.get(0).processes().get(0).uptimeMillis(), "uptime recomputed from the clock");
    assertEquals("launching", views.get(1).state(), "api has reported nothing yet");
  }

  @Test
  void stopAllCollectsTheProcessesOfEveryApp() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<List<LaunchedProcess>> stopped = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.StopAll(stopped.ref()));
    FakeProcess web0 = new FakeProcess(1);
    FakeProcess api0 = new FakeProcess(2);
    FakeProcess api1 = new FakeProcess(3);
    ((AppSupervisor.StopAll) received.get("web").receiveMessage())
        .replyTo()
        .tell(new AppSupervisor.Stopped(List.of(web0)));
    stopped.expectNoMessage(Duration.ZERO); // api has not answered yet
    ((AppSupervisor.StopAll) received.get("api").receiveMessage())
        .replyTo()
        .tell(new AppSupervisor.Stopped(List.of(api0, api1)));
    assertEquals(Set.of(web0, api0, api1), new HashSet<>(stopped.receiveMessage()));
  }

  @Test
  void anAppThatDiesWhileStoppingDoesNotHoldUpTheCollection() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<List<LaunchedProcess>> stopped = testKit.createTestProbe();
    supervisor.tell(new ProcessSupervisor.StopAll(stopped.ref()));
    FakeProcess web0 = new FakeProcess(1);
    ((AppSupervisor.StopAll) received.get("web").receiveMessage())
        .replyTo()
        .tell(new AppSupervisor.Stopped(List.of(web0)));
    received.get("api").receiveMessage();
    supervisor.tell(
        new ProcessSupervisor.AppCommand(
            "api", AppSupervisor.InjectFailure::new, testKit.<OpResult>createTestProbe().ref()));
    // api will never answer; its (empty) recorded state stands in for it, at once.
    assertEquals(List.of(web0), stopped.receiveMessage());
    fatal.expectNoMessage(Duration.ZERO);
  }

  @Test
  void anAppSupervisorThatStopsEndsTheMasterUnlessTheMasterIsStopping() {
    ActorRef<MasterProtocol.Command> supervisor = spawn();
    TestProbe<OpResult> result = testKit.createTestProbe();
    supervisor.tell(
        new ProcessSupervisor.AppCommand("api", AppSupervisor.InjectFailure::new, result.ref()));
    String reason = fatal.receiveMessage();
    assertTrue(reason.contains("supervisor of app api stopped"), reason);

    ActorRef<MasterProtocol.Command> stopping = spawn();
    TestProbe<List<LaunchedProcess>> stopped = testKit.createTestProbe();
    stopping.tell(new ProcessSupervisor.StopAll(stopped.ref()));
    received.get("web").receiveMessage();
    received.get("api").receiveMessage();
    stopping.tell(
        new ProcessSupervisor.AppCommand("api", AppSupervisor.InjectFailure::new, result.ref()));
    // Once the supervisor has seen api stop, api is unknown to it; by then it would have called
    // onFatal.
    // (A reload forwarded just before that is lost with the stopped app: hence the short wait.)
    result.awaitAssert(
        Duration.ofSeconds(5),
        () -> {
          stopping.tell(
              new ProcessSupervisor.AppCommand("api", AppSupervisor.Reload::new, result.ref()));
          assertEquals(
              OpResult.Status.UNKNOWN_APP, result.receiveMessage(Duration.ofMillis(200)).status());
          return null;
        });
    fatal.expectNoMessage(Duration.ZERO);
  }
}
