package io.overseer.master.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.jobs.JobOutcome;
import io.overseer.master.supervision.ManualClock;
import io.overseer.protocol.ScheduleProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedules' clock in virtual time: Pekko's {@code ManualTime} drives its timers and a {@link
 * ManualClock} moves with it, so 20 seconds of ticks take milliseconds and every instant is exact.
 * The launcher is a fake that records which tick each launch was for.
 */
class ScheduleClockTest {
  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

  @TempDir Path home;

  private final ManualClock clock = new ManualClock(START);
  private final TestProbe<ScheduleProtocol.Schedules> views = testKit.createTestProbe();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aScheduleEverySecondFiresEachTickOnceOverTwentySimulatedSeconds() {
    FakeLauncher launcher = FakeLauncher.succeeding();
    ActorRef<ScheduleProtocol.Command> clockActor =
        start("beat { cron = \"* * * * * *\", job = job }", launcher, TickLedger.inMemory());

    seconds(clockActor, 20);

    assertEquals(ticks(1, 20), launcher.ticks(), "ticks 12:00:01 to 12:00:20, each once, in order");
    ScheduleProtocol.ScheduleView view = view(clockActor);
    assertEquals(START.plusSeconds(21).toString(), view.nextTick());
    assertEquals(START.plusSeconds(20).toString(), view.lastTick());
    assertTrue(view.history().stream().allMatch(run -> run.outcome().equals("succeeded")));
  }

  @Test
  void overlapSkipDropsTheTicksThatComeWhileThePreviousRunRuns() {
    FakeLauncher launcher = FakeLauncher.holding();
    ActorRef<ScheduleProtocol.Command> clockActor =
        start("beat { cron = \"* * * * * *\", job = job }", launcher, TickLedger.inMemory());

    seconds(clockActor, 3);
    assertEquals(ticks(1, 1), launcher.ticks(), "t2 and t3 came while t1 ran");
    launcher.calls().get(0).succeed();
    seconds(clockActor, 1);

    assertEquals(List.of(tick(1), tick(4)), launcher.ticks());
    assertEquals(
        List.of("succeeded", "skipped", "skipped", "running"),
        view(clockActor).history().stream().map(ScheduleProtocol.Run::outcome).toList());
    assertTrue(
        view(clockActor).history().get(1).error().contains("still running"),
        view(clockActor).history().get(1).error());
  }

  @Test
  void overlapQueueOneRunsTheLatestWaitingTickAsSoonAsThePreviousRunEnds() {
    FakeLauncher launcher = FakeLauncher.holding();
    ActorRef<ScheduleProtocol.Command> clockActor =
        start(
            "beat { cron = \"* * * * * *\", job = job, overlap = queue-one }",
            launcher,
            TickLedger.inMemory());

    seconds(clockActor, 3);
    assertEquals(List.of(tick(1)), launcher.ticks());
    assertEquals(tick(3).toString(), view(clockActor).queued(), "t3 took t2's place in the queue");
    launcher.calls().get(0).succeed();
    settle(clockActor);

    assertEquals(List.of(tick(1), tick(3)), launcher.ticks(), "t3 ran as soon as t1 ended");
    ScheduleProtocol.ScheduleView view = view(clockActor);
    assertNull(view.queued());
    assertEquals(
        Map.of(
            tick(1).toString(), "succeeded",
            tick(2).toString(), "skipped",
            tick(3).toString(), "running"),
        outcomes(view));
  }

  @Test
  void theLatestTickMissedWhileNoClockRanRunsOnceLate() {
    FakeLauncher launcher = FakeLauncher.succeeding();
    TickLedger ledger = TickLedger.inMemory();
    ledger.record("beat", START.minusSeconds(30));
    clock.advance(Duration.ofMillis(400)); // the clock starts mid-second, 30 ticks after its last

    ActorRef<ScheduleProtocol.Command> clockActor =
        start("beat { cron = \"* * * * * *\", job = job }", launcher, ledger);
    assertEquals(List.of(START), launcher.ticks(), "the latest missed tick, once, at once");
    seconds(clockActor, 2);

    assertEquals(List.of(START, tick(1), tick(2)), launcher.ticks());
  }

  @Test
  void missedSkipRunsNoTickOfTheTimeNoClockRan() {
    FakeLauncher launcher = FakeLauncher.succeeding();
    TickLedger ledger = TickLedger.inMemory();
    ledger.record("beat", START.minusSeconds(30));
    clock.advance(Duration.ofMillis(400));

    ActorRef<ScheduleProtocol.Command> clockActor =
        start("beat { cron = \"* * * * * *\", job = job, missed = skip }", launcher, ledger);
    seconds(clockActor, 2);

    assertEquals(List.of(tick(1), tick(2)), launcher.ticks());
    ScheduleProtocol.Run skipped = view(clockActor).history().get(0);
    assertEquals(START.toString(), skipped.tick());
    assertEquals("skipped", skipped.outcome());
    assertTrue(skipped.error().contains("no clock ran"), skipped.error());
  }

  @Test
  void aRefusedTickIsTriedAgainUntilAWorkerTakesItUnderRunOnceLate() {
    FakeLauncher launcher = new FakeLauncher(null);
    launcher.answer(
        call ->
            launcher.calls().size() <= 2
                ? FakeLauncher.outcome(JobOutcome.Status.REFUSED, "no worker ready")
                : FakeLauncher.outcome(JobOutcome.Status.SUCCEEDED, null));
    ActorRef<ScheduleProtocol.Command> clockActor =
        start("beat { cron = \"*/10 * * * * *\", job = job }", launcher, TickLedger.inMemory());

    seconds(clockActor, 20);

    assertEquals(Map.of(tick(10), 3L, tick(20), 1L), launcher.launchesPerTick());
    assertEquals(
        List.of(tick(10), tick(10), tick(10)),
        launcher.ticks().subList(0, 3),
        "retried every retry-refused (1s) after each refusal, within the tick's 10 s");
    assertEquals("succeeded", outcomes(view(clockActor)).get(tick(10).toString()));
  }

  @Test
  void aRefusedTickIsNotTriedAgainUnderMissedSkip() {
    FakeLauncher launcher =
        new FakeLauncher(call -> FakeLauncher.outcome(JobOutcome.Status.REFUSED, "no worker"));
    ActorRef<ScheduleProtocol.Command> clockActor =
        start(
            "beat { cron = \"*/10 * * * * *\", job = job, missed = skip }",
            launcher,
            TickLedger.inMemory());

    seconds(clockActor, 20);

    assertEquals(List.of(tick(10), tick(20)), launcher.ticks());
    ScheduleProtocol.Run refused = view(clockActor).history().get(0);
    assertEquals("refused", refused.outcome());
    assertEquals("no worker", refused.error());
  }

  @Test
  void aNewerTickSupersedesARefusedOneWaitingForItsRetry() {
    FakeLauncher launcher =
        new FakeLauncher(call -> FakeLauncher.outcome(JobOutcome.Status.REFUSED, "no worker"));
    ActorRef<ScheduleProtocol.Command> clockActor =
        start(
            "beat { cron = \"* * * * * *\", job = job }",
            launcher,
            TickLedger.inMemory(),
            "retry-refused = 5s");

    seconds(clockActor, 8);

    assertEquals(ticks(1, 8), launcher.ticks(), "each tick tried once: the next one came first");
  }

  @Test
  void theHistoryKeepsTheLastNRuns() {
    FakeLauncher launcher = FakeLauncher.succeeding();
    ActorRef<ScheduleProtocol.Command> clockActor =
        start(
            "beat { cron = \"* * * * * *\", job = job, history = 3 }",
            launcher,
            TickLedger.inMemory());

    seconds(clockActor, 10);

    assertEquals(
        List.of(tick(8).toString(), tick(9).toString(), tick(10).toString()),
        view(clockActor).history().stream().map(ScheduleProtocol.Run::tick).toList());
  }

  @Test
  void aClockRestartedFromTheStateFileNeverFiresARecordedTickAgain() {
    Path file = home.resolve("schedules/last-ticks.json");
    FakeLauncher launcher =
        new FakeLauncher(
            call -> {
              // Recorded before launched: the file has the tick when its job starts.
              assertEquals(call.tick().toString(), recorded(file).get("beat"));
              return FakeLauncher.outcome(JobOutcome.Status.SUCCEEDED, null);
            });
    String beat = "beat { cron = \"* * * * * *\", job = job }";
    ActorRef<ScheduleProtocol.Command> first = start(beat, launcher, new StateFile(file));
    seconds(first, 3);
    testKit.stop(first);

    // The same instant as the last tick: a new clock (a restarted master) must not fire it again.
    ActorRef<ScheduleProtocol.Command> second = start(beat, launcher, new StateFile(file));
    assertEquals(ticks(1, 3), launcher.ticks());
    seconds(second, 1);
    testKit.stop(second);

    // Down for 5 s: the next clock runs the latest missed tick once (run-once-late), no other.
    clock.advance(Duration.ofSeconds(5));
    manualTime.timePasses(Duration.ofSeconds(5));
    ActorRef<ScheduleProtocol.Command> third = start(beat, launcher, new StateFile(file));
    seconds(third, 1);

    assertEquals(List.of(tick(1), tick(2), tick(3), tick(4), tick(9), tick(10)), launcher.ticks());
    assertTrue(launcher.launchesPerTick().values().stream().allMatch(n -> n == 1));
    assertTrue(launcher.calls().stream().allMatch(call -> call.outcome().isDone()));
  }

  @Test
  void aClockRestartedFromTheStateFileShowsTheRunsOfTheClockBeforeIt() {
    Path file = home.resolve("schedules/last-ticks.json");
    FakeLauncher launcher = new FakeLauncher(null);
    launcher.answer(
        call ->
            call.tick().equals(tick(2))
                ? FakeLauncher.outcome(JobOutcome.Status.FAILED, "disk full")
                : FakeLauncher.outcome(JobOutcome.Status.SUCCEEDED, null));
    String beat = "beat { cron = \"* * * * * *\", job = job, history = 3 }";
    ActorRef<ScheduleProtocol.Command> first = start(beat, launcher, new StateFile(file));
    seconds(first, 4);
    List<ScheduleProtocol.Run> before = view(first).history();
    testKit.stop(first);

    ActorRef<ScheduleProtocol.Command> second = start(beat, launcher, new StateFile(file));
    List<ScheduleProtocol.Run> after = view(second).history();

    assertEquals(before, after, "the same runs, started, ended, worker and error included");
    assertEquals(
        Map.of(
            tick(2).toString(),
            "failed",
            tick(3).toString(),
            "succeeded",
            tick(4).toString(),
            "succeeded"),
        outcomes(view(second)));
    assertEquals("disk full", after.get(0).error());
    seconds(second, 1);
    assertEquals(
        List.of(tick(3).toString(), tick(4).toString(), tick(5).toString()),
        view(second).history().stream().map(ScheduleProtocol.Run::tick).toList(),
        "bounded by history = 3 across the restart");
  }

  @Test
  void aRunTheClockBeforeLeftRunningHoldsOverlapSkipUntilItsDeadlineAndTheGrace() {
    FakeLauncher launcher = FakeLauncher.holding();
    TickLedger ledger = TickLedger.inMemory();
    String beat = "beat { cron = \"* * * * * *\", job = job }";
    leaveTickOneRunning(beat, launcher, ledger);

    // Started at 12:00:01, deadline 12:00:06, grace 2.5 s: busy until 12:00:08.5.
    ActorRef<ScheduleProtocol.Command> second =
        start(beat, launcher, ledger, "inherited-run-grace = 2500ms");
    assertEquals(tick(1).toString(), view(second).running());
    seconds(second, 6);
    assertEquals(List.of(tick(1)), launcher.ticks(), "ticks 2 to 7 came while tick 1 ran");
    seconds(second, 2);

    assertEquals(List.of(tick(1), tick(9)), launcher.ticks(), "tick 8 too; tick 9 runs");
    Map<String, String> outcomes = outcomes(view(second));
    assertEquals("unknown", outcomes.get(tick(1).toString()));
    assertEquals("running", outcomes.get(tick(9).toString()));
    IntStream.rangeClosed(2, 8)
        .forEach(t -> assertEquals("skipped", outcomes.get(tick(t).toString()), "tick " + t));
    assertTrue(view(second).history().get(1).error().contains("still running"));
  }

  @Test
  void aRunLeftRunningPastItsDeadlineAndGraceIsUnknownAndHoldsNothing() {
    FakeLauncher launcher = FakeLauncher.holding();
    TickLedger ledger = TickLedger.inMemory();
    String beat = "beat { cron = \"* * * * * *\", job = job, missed = skip }";
    leaveTickOneRunning(beat, launcher, ledger);
    clock.advance(Duration.ofSeconds(30)); // no clock ran for 30 s: past 12:00:06 + 10 s
    manualTime.timePasses(Duration.ofSeconds(30));

    ActorRef<ScheduleProtocol.Command> second = start(beat, launcher, ledger);
    assertNull(view(second).running());
    seconds(second, 1);

    assertEquals(List.of(tick(1), tick(32)), launcher.ticks());
    assertEquals("unknown", outcomes(view(second)).get(tick(1).toString()));
  }

  @Test
  void aYearlyTickFiresOnTimeThoughTheClockSleepsAMinuteAtMost() {
    FakeLauncher launcher = FakeLauncher.succeeding();
    ActorRef<ScheduleProtocol.Command> clockActor =
        start("new-year { cron = \"0 0 0 1 1 *\", job = job }", launcher, TickLedger.inMemory());
    Instant newYear = Instant.parse("2027-01-01T00:00:00Z");
    assertEquals(newYear.toString(), view(clockActor).nextTick());

    // A minute later (its first wake), then a second before the tick: nothing is due yet.
    seconds(clockActor, 60);
    Duration toEve = Duration.between(clock.instant(), newYear).minusSeconds(1);
    clock.advance(toEve);
    manualTime.timePasses(toEve);
    settle(clockActor);
    assertEquals(List.of(), launcher.ticks());
    seconds(clockActor, 1);

    assertEquals(List.of(newYear), launcher.ticks(), "on time, not missed");
    assertEquals("2028-01-01T00:00:00Z", view(clockActor).nextTick());
  }

  // --- helpers ---

  /** A first clock fires tick 1 and stops while it runs (job deadline 5 s): its master died. */
  private void leaveTickOneRunning(String beat, FakeLauncher launcher, TickLedger ledger) {
    ActorRef<ScheduleProtocol.Command> first = start(beat, launcher, ledger);
    seconds(first, 1);
    assertEquals("running", view(first).history().get(0).outcome());
    testKit.stop(first);
  }

  private ActorRef<ScheduleProtocol.Command> start(
      String schedules, FakeLauncher launcher, TickLedger ledger, String... scheduling) {
    SchedulingSettings settings =
        SchedulingSettings.create(
            ConfigFactory.parseString(
                    "overseer { jobs { job { deadline = 5s } }, schedules { "
                        + schedules
                        + " }, scheduling { "
                        + String.join("\n", scheduling)
                        + " } }")
                .withFallback(ConfigFactory.defaultReference())
                .resolve()
                .getConfig("overseer"),
            home);
    ActorRef<ScheduleProtocol.Command> actor =
        testKit.spawn(ScheduleClock.create(settings, launcher, ledger, clock));
    // Loaded before time moves: its first timer is set from the start instant.
    settle(actor);
    return actor;
  }

  /** Moves both clocks a second at a time, letting the clock act on each. */
  private void seconds(ActorRef<ScheduleProtocol.Command> actor, int seconds) {
    for (int i = 0; i < seconds; i++) {
      clock.advance(Duration.ofSeconds(1));
      manualTime.timePasses(Duration.ofSeconds(1));
      settle(actor);
    }
  }

  /**
   * Round trips through the clock's mailbox: each one has processed what the one before left queued
   * (a wake, then a record, then a launch's end, then a queued tick's record).
   */
  private void settle(ActorRef<ScheduleProtocol.Command> actor) {
    for (int i = 0; i < 5; i++) {
      view(actor);
    }
  }

  private ScheduleProtocol.ScheduleView view(ActorRef<ScheduleProtocol.Command> actor) {
    actor.tell(new ScheduleProtocol.GetSchedules(views.ref()));
    return views.receiveMessage().schedules().get(0);
  }

  private static Map<String, String> outcomes(ScheduleProtocol.ScheduleView view) {
    return view.history().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                ScheduleProtocol.Run::tick, ScheduleProtocol.Run::outcome));
  }

  private static Instant tick(int second) {
    return START.plusSeconds(second);
  }

  private static List<Instant> ticks(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(ScheduleClockTest::tick).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> recorded(Path file) {
    try {
      return (Map<String, String>)
          new ObjectMapper().readValue(file.toFile(), Map.class).get("last-ticks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
