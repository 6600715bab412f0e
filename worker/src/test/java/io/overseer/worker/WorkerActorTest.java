package io.overseer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.api.bff.BffResponse;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.RoutesProtocol;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.worker.faults.FaultInjection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's root actor on its own, in a one-node cluster that also plays the master: a probe
 * stands at the supervisor's well-known path, so the worker's Ready and Pong reach the test.
 */
class WorkerActorTest {
  /** Long enough for a one-node cluster to come Up on a loaded 2-core machine. */
  private static final Duration CLUSTER_UP = Duration.ofSeconds(30);

  /** A job that cannot finish within any test: 10^13 additions. */
  private static final long ENDLESS_N = 10_000_000_000_000L;

  private static ActorTestKit testKit;

  /** Where the stand-in supervisor sends each worker's Ready, by worker id; others are dropped. */
  private static final Map<String, ActorRef<MasterProtocol.Command>> readyTo =
      new ConcurrentHashMap<>();

  /** Where the stand-in routes actor sends RoutesWanted, by worker id; others get no routes. */
  private static final Map<String, ActorRef<RoutesProtocol.Command>> routesTo =
      new ConcurrentHashMap<>();

  private static WorkerSettings settings;
  private static ActorRef<MasterProtocol.Command> supervisor;
  private static final AtomicLong requestIds = new AtomicLong();

  /** A cluster node on a free loopback port that speaks the protocol in CBOR, as workers do. */
  private static Config clusterNodeConfig() {
    return ConfigFactory.parseString(
            """
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.actor.serialization-bindings {
          "io.overseer.protocol.OverseerSerializable" = jackson-cbor
        }
        """)
        .withFallback(ConfigFactory.load());
  }

  @BeforeAll
  static void startClusterAndMaster() {
    Config config = clusterNodeConfig();
    testKit = ActorTestKit.create(ClusterNames.SYSTEM, config);
    // A child of the test kit's guardian is at /user/<name>: the path workers send Ready to.
    supervisor =
        testKit.spawn(
            Behaviors.<MasterProtocol.Command>receiveMessage(
                message -> {
                  if (message instanceof MasterProtocol.Ready ready
                      && readyTo.containsKey(ready.workerId())) {
                    readyTo.get(ready.workerId()).tell(ready);
                  }
                  return Behaviors.same();
                }),
            ClusterNames.SUPERVISOR_PATH.substring("/user/".length()));
    testKit.spawn(
        Behaviors.<RoutesProtocol.Command>receiveMessage(
            message -> {
              RoutesProtocol.RoutesWanted wanted = (RoutesProtocol.RoutesWanted) message;
              if (routesTo.containsKey(wanted.workerId())) {
                routesTo.get(wanted.workerId()).tell(wanted);
              } else {
                wanted.replyTo().tell(new WorkerProtocol.UseBffRoutes("", Map.of()));
              }
              return Behaviors.same();
            }),
        ClusterNames.ROUTES_PATH.substring("/user/".length()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    settings = WorkerSettings.create(testKit.system().settings().config());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<WorkerProtocol.Command> spawnWorker(String id) {
    return spawnWorker(id, settings);
  }

  private static ActorRef<WorkerProtocol.Command> spawnWorker(String id, WorkerSettings settings) {
    Address self = testKit.system().address();
    var identity =
        new WorkerActor.Identity("web", id, 4242, List.of("java", "-jar", "worker.jar"), 0, "test");
    return testKit.spawn(
        WorkerActor.create(
            settings,
            identity,
            self.host().get() + ":" + self.port().get(),
            null,
            FaultInjection.NONE));
  }

  private static WorkerProtocol.Compute compute(
      long n, Duration timeout, TestProbe<WorkerProtocol.Reply> replies) {
    return new WorkerProtocol.Compute(
        requestIds.incrementAndGet(), "", n, timeout.toMillis(), replies.ref());
  }

  @Test
  void announcesItselfAndAgainUntilTheMasterAnswers() {
    TestProbe<MasterProtocol.Command> master =
        testKit.createTestProbe(MasterProtocol.Command.class);
    readyTo.put("announcer", master.ref());
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("announcer");
    MasterProtocol.Ready first = master.expectMessageClass(MasterProtocol.Ready.class, CLUSTER_UP);
    assertEquals("announcer", first.workerId());
    assertEquals(worker, first.worker());
    // Not acknowledged: the worker repeats itself (its first Ready can race the master's view of
    // it).
    MasterProtocol.Ready again =
        master.expectMessageClass(
            MasterProtocol.Ready.class, settings.readyRetryInterval().multipliedBy(4));
    assertEquals("announcer", again.workerId());

    worker.tell(new WorkerProtocol.Registered(master.ref()));
    // A ping answered means Registered was handled (one sender, one order) and the retry timer is
    // off.
    TestProbe<MasterProtocol.Command> pongs = testKit.createTestProbe(MasterProtocol.Command.class);
    worker.tell(new WorkerProtocol.Ping(1, pongs.ref()));
    pongs.expectMessageClass(MasterProtocol.Pong.class);
    // A Ready sent before that may still be in the stand-in's mailbox: a marker queued behind it
    // flushes it.
    supervisor.tell(
        new MasterProtocol.Ready("web", "announcer", -1, worker, List.of(), 0, "marker"));
    while (!master.expectMessageClass(MasterProtocol.Ready.class).version().equals("marker")) {
      // an announcement sent before Registered was handled
    }
    master.expectNoMessage(settings.readyRetryInterval().multipliedBy(3));
  }

  @Test
  void aWarmingWorkerAnnouncesItselfOnceItsWarmUpIsOverWhichItsMaxTimeBounds() {
    // Far more iterations than the max-time allows: the warm-up is cut there, and Ready follows.
    WorkerSettings warming =
        new WorkerSettings(
            settings.computeDispatcher(),
            settings.inlineComputeMaxN(),
            settings.readyRetryInterval(),
            settings.reannounceAfter(),
            new io.overseer.worker.warmup.WarmUpSettings(
                true, Integer.MAX_VALUE, Duration.ofMillis(300)));
    TestProbe<MasterProtocol.Command> master =
        testKit.createTestProbe(MasterProtocol.Command.class);
    readyTo.put("warming", master.ref());
    long spawned = System.nanoTime();
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("warming", warming);
    MasterProtocol.Ready ready = master.expectMessageClass(MasterProtocol.Ready.class, CLUSTER_UP);
    assertTrue(
        System.nanoTime() - spawned >= Duration.ofMillis(300).toNanos(),
        "not announced before its warm-up was over");
    assertEquals(worker, ready.worker());
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    worker.tell(compute(10, Duration.ofSeconds(5), replies));
    assertEquals("45", replies.expectMessageClass(WorkerProtocol.Computed.class).sum());
  }

  @Test
  void announcesItselfBeforeItsNodeIsAClusterMember() {
    // A worker's own node that never joins: its Ready must reach the master all the same (a tell
    // over Artery needs no membership), since waiting for Up cost every start time.
    Config unjoined = clusterNodeConfig();
    ActorTestKit node = ActorTestKit.create(ClusterNames.SYSTEM, unjoined);
    try {
      TestProbe<MasterProtocol.Command> master =
          testKit.createTestProbe(MasterProtocol.Command.class);
      readyTo.put("early", master.ref());
      Address masterAddress = testKit.system().address();
      node.spawn(
          WorkerActor.create(
              settings,
              new WorkerActor.Identity("web", "early", 4243, List.of("java"), 0, "test"),
              masterAddress.host().get() + ":" + masterAddress.port().get(),
              null,
              FaultInjection.NONE));
      MasterProtocol.Ready ready =
          master.expectMessageClass(MasterProtocol.Ready.class, CLUSTER_UP);
      assertEquals("early", ready.workerId());
      assertNotEquals(MemberStatus.up(), Cluster.get(node.system()).selfMember().status());
    } finally {
      node.shutdownTestKit();
    }
  }

  @Test
  void sumsSmallJobsOnTheActorAndLargeOnesOnTheComputeDispatcher() {
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("summer");
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    worker.tell(compute(10, Duration.ofSeconds(5), replies));
    assertEquals("45", replies.expectMessageClass(WorkerProtocol.Computed.class).sum());
    long large = settings.inlineComputeMaxN() * 10;
    worker.tell(compute(large, Duration.ofSeconds(5), replies));
    WorkerProtocol.Computed computed = replies.expectMessageClass(WorkerProtocol.Computed.class);
    assertEquals(String.valueOf(large * (large - 1) / 2), computed.sum());
    assertEquals("summer", computed.workerId());
  }

  @Test
  void aJobPastItsDeadlineGivesUp() {
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("deadline");
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    worker.tell(compute(ENDLESS_N, Duration.ofMillis(50), replies));
    assertEquals(
        "deadline exceeded",
        replies.expectMessageClass(WorkerProtocol.ComputeFailed.class).reason());
  }

  @Test
  void aCancelledJobStopsAndLeavesTheInFlightCount() {
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("canceller");
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    TestProbe<MasterProtocol.Command> pongs = testKit.createTestProbe(MasterProtocol.Command.class);
    WorkerProtocol.Compute job = compute(ENDLESS_N, Duration.ofMinutes(1), replies);
    worker.tell(job);
    worker.tell(new WorkerProtocol.Ping(1, pongs.ref()));
    assertEquals(1, pongs.expectMessageClass(MasterProtocol.Pong.class).inFlight());

    worker.tell(new WorkerProtocol.Cancel(job.requestId()));
    assertEquals(
        "cancelled", replies.expectMessageClass(WorkerProtocol.ComputeFailed.class).reason());
    pongs.awaitAssert(
        () -> {
          worker.tell(new WorkerProtocol.Ping(2, pongs.ref()));
          assertEquals(0, pongs.expectMessageClass(MasterProtocol.Pong.class).inFlight());
          return null;
        });
  }

  @Test
  void aBffRequestToAWorkerWithoutRoutesIsAnswered501() {
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("no-routes");
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    worker.tell(
        new WorkerProtocol.Handle(
            requestIds.incrementAndGet(),
            "req-1",
            "product-api",
            Map.of(),
            Map.of(),
            Map.of(),
            "",
            1_000,
            replies.ref()));
    WorkerProtocol.Handled handled = replies.expectMessageClass(WorkerProtocol.Handled.class);
    assertEquals(501, handled.status());
    assertEquals("no-routes", handled.workerId());
    // The same answer as every other BFF error of a worker: JSON naming the problem and the route.
    assertEquals(BffResponse.JSON, handled.contentType());
    assertEquals(
        "{\"error\":\"this worker has no BFF routes (start it with --config)\",\"route\":\"product-api\"}",
        handled.body());
  }

  @Test
  void withoutRoutesItAsksTheMasterForThemBeforeAnnouncingItselfAndThenServesThem() {
    TestProbe<RoutesProtocol.Command> routes =
        testKit.createTestProbe(RoutesProtocol.Command.class);
    TestProbe<MasterProtocol.Command> master =
        testKit.createTestProbe(MasterProtocol.Command.class);
    routesTo.put("routed", routes.ref());
    readyTo.put("routed", master.ref());
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("routed");
    RoutesProtocol.RoutesWanted wanted =
        routes.expectMessageClass(RoutesProtocol.RoutesWanted.class, CLUSTER_UP);
    assertEquals(worker, wanted.replyTo());
    master.expectNoMessage(settings.readyRetryInterval().multipliedBy(2)); // not ready yet

    worker.tell(
        new WorkerProtocol.UseBffRoutes(
            "routes { hello { path = \"/hello/{id}\", transform-file = \"transforms/0.jslt\" } }",
            Map.of("transforms/0.jslt", "{\"hello\": .path.id}")));
    master.expectMessageClass(MasterProtocol.Ready.class);
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    worker.tell(
        new WorkerProtocol.Handle(
            requestIds.incrementAndGet(),
            "req-1",
            "hello",
            Map.of("id", "7"),
            Map.of(),
            Map.of(),
            "",
            5_000,
            replies.ref()));
    WorkerProtocol.Handled handled = replies.expectMessageClass(WorkerProtocol.Handled.class);
    assertEquals(200, handled.status(), handled.body());
    assertEquals("{\"hello\":\"7\"}", handled.body());
  }

  @Test
  void aRegisteredWorkerTheMasterStopsPingingAnnouncesItselfAgain() {
    WorkerSettings quick =
        new WorkerSettings(
            settings.computeDispatcher(),
            settings.inlineComputeMaxN(),
            settings.readyRetryInterval(),
            Duration.ofMillis(600),
            settings.warmUp());
    TestProbe<MasterProtocol.Command> master =
        testKit.createTestProbe(MasterProtocol.Command.class);
    readyTo.put("dropped", master.ref());
    ActorRef<WorkerProtocol.Command> worker = spawnWorker("dropped", quick);
    master.expectMessageClass(MasterProtocol.Ready.class, CLUSTER_UP);
    worker.tell(new WorkerProtocol.Registered(master.ref()));
    TestProbe<MasterProtocol.Command> pongs = testKit.createTestProbe(MasterProtocol.Command.class);
    // Pinged: no announcement. The pings' answers show each was handled before the next one.
    long pingedUntil = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
    for (long sequence = 1; System.nanoTime() < pingedUntil; sequence++) {
      worker.tell(new WorkerProtocol.Ping(sequence, pongs.ref()));
      pongs.expectMessageClass(MasterProtocol.Pong.class);
      pongs.expectNoMessage(Duration.ofMillis(100));
    }
    supervisor.tell(new MasterProtocol.Ready("web", "dropped", -1, worker, List.of(), 0, "marker"));
    while (!master.expectMessageClass(MasterProtocol.Ready.class).version().equals("marker")) {
      // an announcement sent before Registered was handled
    }
    master.expectNoMessage(Duration.ofMillis(200)); // still within reannounce-after of a ping

    // No more pings: the master dropped it. It announces itself again, until acknowledged.
    MasterProtocol.Ready again =
        master.expectMessageClass(MasterProtocol.Ready.class, Duration.ofSeconds(5));
    assertEquals("dropped", again.workerId());
    master.expectMessageClass(MasterProtocol.Ready.class, Duration.ofSeconds(5));
  }
}
