package io.overseer.master.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.jobs.JobLauncher;
import io.overseer.master.jobs.JobOutcome;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.ScheduleProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two masters in one JVM (two actor systems forming a cluster over Artery on loopback), each with
 * its own OVERSEER_HOME, both running {@link Schedules#start} with a schedule every second in real
 * time. The clock runs on one of them; when that one leaves, the other takes over, and no tick is
 * launched twice: the last ticks reach it through Distributed Data, not through its own state file.
 * The runs' history moves with them, and a second schedule, {@code hold}, whose job never ends on
 * its own, shows that overlap = skip holds across the hand-over: the run a launched keeps b from
 * launching another until that run's deadline (15 s) and the grace (1 s) have passed.
 */
class ClockHandoverTest {
  @TempDir Path homeA;
  @TempDir Path homeB;

  /** Every launch, from either master: its node, schedule, tick and when it was launched. */
  private record Launch(String node, String schedule, Instant tick, Instant at) {}

  private static final Duration HOLD_DEADLINE = Duration.ofSeconds(15);
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final List<Launch> launches = new CopyOnWriteArrayList<>();
  private ActorSystem<Void> a;
  private ActorSystem<Void> b;

  @AfterEach
  void stop() {
    for (ActorSystem<Void> system : java.util.Arrays.asList(a, b)) {
      if (system != null) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
      }
    }
  }

  @Test
  void theClockRunsOnOneMasterAndMovesToTheOtherWithoutRunningATickTwice() throws Exception {
    AtomicReference<ActorRef<ScheduleProtocol.Command>> clockViaB = new AtomicReference<>();
    a = master("a", homeA, new AtomicReference<>());
    Address first = Cluster.get(a).selfMember().address();
    Cluster.get(a).manager().tell(new Join(first));
    b = master("b", homeB, clockViaB);
    Cluster.get(b).manager().tell(new Join(first));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Cluster.get(a).state().members().size() == 2
                    && Cluster.get(b).selfMember().status() == MemberStatus.up());

    // Both masters up: the ticks run on a (the oldest) alone.
    await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("a").size() >= 3 && up(b));
    int before = ticksOf("a").size();
    await().atMost(Duration.ofSeconds(10)).until(() -> ticksOf("a").size() >= before + 2);
    assertEquals(List.of(), ticksOf("b"), "the clock runs on one master only");
    // A tick is written to a majority of the masters (here both) before it is launched (or after
    // write-timeout, 10 s here so that a slow machine does not get there): b holds every tick a
    // launched, in its own replica.
    Instant launchedByA = ticksOf("a").get(ticksOf("a").size() - 1);
    Instant heldByB = replicaOf(b).loadLocal().toCompletableFuture().get().lastTicks().get("beat");
    assertTrue(
        !heldByB.isBefore(launchedByA),
        "b's replica has " + heldByB + ", a launched " + launchedByA);
    // b's proxy reaches the clock on a, over the wire (CBOR).
    ScheduleProtocol.Schedules seen =
        AskPattern.<ScheduleProtocol.Command, ScheduleProtocol.Schedules>ask(
                clockViaB.get(),
                ScheduleProtocol.GetSchedules::new,
                Duration.ofSeconds(10),
                b.scheduler())
            .toCompletableFuture()
            .get();
    assertEquals("beat", seen.schedules().get(0).name());
    assertEquals("hold", seen.schedules().get(1).name());
    assertTrue(seen.schedules().get(0).history().size() >= 3);

    // a leaves the cluster: the clock moves to b.
    Cluster.get(a).manager().tell(new Leave(first));
    a.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    Instant lastOfA = ticksOf("a").get(ticksOf("a").size() - 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("b").size() >= 3);
    // The history came along: b shows runs a launched.
    ScheduleProtocol.ScheduleView beat = view(clockViaB.get(), b, "beat");
    assertTrue(
        beat.history().stream()
            .anyMatch(
                run ->
                    !Instant.parse(run.tick()).isAfter(lastOfA)
                        && run.outcome().equals("succeeded")),
        "b shows a's runs: " + beat.history());

    // hold: a launched its first tick and skipped the others (it never ended); b counts that run
    // as running until its deadline and the grace, then launches again.
    List<Launch> holdOfA = launchesOf("a", "hold");
    assertEquals(1, holdOfA.size(), "a skipped the ticks while its run ran: " + holdOfA);
    // From the tick: a's clock recorded the run as started at its wake (at or after the tick),
    // before the launch this test sees (which comes after the record's fsync and majority write).
    Instant busyUntil = holdOfA.get(0).tick().plus(HOLD_DEADLINE).plus(GRACE);
    await().atMost(Duration.ofSeconds(40)).until(() -> !launchesOf("b", "hold").isEmpty());
    Launch firstOfB = launchesOf("b", "hold").get(0);
    assertTrue(
        !firstOfB.at().isBefore(busyUntil),
        "b launched hold at " + firstOfB.at() + ", a's run counted until " + busyUntil);
    ScheduleProtocol.ScheduleView hold = view(clockViaB.get(), b, "hold");
    assertTrue(
        hold.history().stream()
            .anyMatch(
                run ->
                    run.tick().equals(holdOfA.get(0).tick().toString())
                        && run.outcome().equals("unknown")),
        "a's run ended unknown for b: " + hold.history());
    assertTrue(
        hold.history().stream()
            .anyMatch(
                run ->
                    Instant.parse(run.tick()).isAfter(lastOfA)
                        && run.outcome().equals("skipped")
                        && run.error().contains("still running")),
        "b skipped hold's ticks while a's run ran: " + hold.history());

    System.out.println(
        "ClockHandoverTest: a launched " + ticksOf("a") + "; b launched " + ticksOf("b"));
    Map<String, Long> perTick =
        launches.stream()
            .collect(
                Collectors.groupingBy(l -> l.schedule() + "@" + l.tick(), Collectors.counting()));
    assertTrue(
        perTick.values().stream().allMatch(n -> n == 1), "a tick launched twice: " + perTick);
    assertTrue(
        ticksOf("b").stream().allMatch(tick -> tick.isAfter(lastOfA)),
        "b fired a tick a had run: a's last " + lastOfA + ", b's " + ticksOf("b"));
  }

  private List<Instant> ticksOf(String node) {
    return launchesOf(node, "beat").stream().map(Launch::tick).toList();
  }

  private List<Launch> launchesOf(String node, String schedule) {
    return launches.stream()
        .filter(l -> l.node().equals(node) && l.schedule().equals(schedule))
        .toList();
  }

  private static ScheduleProtocol.ScheduleView view(
      ActorRef<ScheduleProtocol.Command> clock, ActorSystem<Void> system, String name)
      throws Exception {
    return AskPattern.<ScheduleProtocol.Command, ScheduleProtocol.Schedules>ask(
            clock, ScheduleProtocol.GetSchedules::new, Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture()
        .get()
        .schedules()
        .stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The master's own replicator of the last ticks, as its guardian spawned it. */
  private static ReplicatedTicks replicaOf(ActorSystem<Void> system) {
    org.apache.pekko.actor.ActorRef classic =
        system
            .classicSystem()
            .actorSelection("/user/" + ReplicatedTicks.REPLICATOR_NAME)
            .resolveOne(Duration.ofSeconds(5))
            .toCompletableFuture()
            .join();
    return new ReplicatedTicks(
        org.apache.pekko.actor.typed.javadsl.Adapter.toTyped(classic),
        system,
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        100);
  }

  private static boolean up(ActorSystem<Void> system) {
    return Cluster.get(system).selfMember().status() == MemberStatus.up();
  }

  /** A master's actor system with the schedules started as its guardian starts them. */
  private ActorSystem<Void> master(
      String node, Path home, AtomicReference<ActorRef<ScheduleProtocol.Command>> clock) {
    SchedulingSettings settings =
        SchedulingSettings.create(
            ConfigFactory.parseString(
                    "overseer { jobs { job {}, holder.deadline = 15s }, schedules {"
                        + " beat { cron = \"* * * * * *\", job = job },"
                        + " hold { cron = \"* * * * * *\", job = holder } },"
                        + " scheduling { write-timeout = 10s, inherited-run-grace = 1s } }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve()
                .getConfig("overseer"),
            home);
    JobLauncher launcher =
        launch -> {
          String[] trigger = launch.trigger().substring("schedule:".length()).split("@", 2);
          launches.add(new Launch(node, trigger[0], Instant.parse(trigger[1]), Instant.now()));
          if (trigger[0].equals("hold")) {
            return new CompletableFuture<>(); // runs until its master goes
          }
          return CompletableFuture.completedFuture(
              new JobOutcome(
                  launch.job(),
                  JobOutcome.Status.SUCCEEDED,
                  "web-0",
                  Instant.now(),
                  Instant.now(),
                  null,
                  null));
        };
    return ActorSystem.create(
        Behaviors.setup(
            context -> {
              clock.set(Schedules.start(context, settings, launcher));
              return Behaviors.empty();
            }),
        ClusterNames.SYSTEM,
        clusterConfig());
  }

  private static Config clusterConfig() {
    return ConfigFactory.parseString(
            """
            pekko {
              loglevel = INFO
              actor.provider = cluster
              actor.serialization-bindings {
                "io.overseer.protocol.OverseerSerializable" = jackson-cbor
              }
              remote.artery {
                transport = tcp
                canonical.hostname = "127.0.0.1"
                canonical.port = 0
              }
              cluster {
                roles = ["master"]
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                periodic-tasks-initial-delay = 100ms
                jmx.enabled = off
              }
              coordinated-shutdown.exit-jvm = off
            }
            """)
        .withFallback(ConfigFactory.load());
  }
}
