package io.overseer.master.schedule;

import io.overseer.master.jobs.JobLaunch;
import io.overseer.master.jobs.JobLauncher;
import io.overseer.master.jobs.JobOutcome;
import io.overseer.protocol.ScheduleProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedules' clock: fires each schedule's ticks through the {@link JobLauncher}. Run as a
 * cluster singleton on the masters ({@link Schedules#start}), so a tick fires once in the whole
 * cluster; tested on its own in virtual time.
 *
 * <p>It first reads the last ticks and runs from its {@link TickLedger}, and never fires a tick at
 * or before one of them; each tick is recorded there before it is launched, with its run ({@code
 * running}, and the job's deadline), and each run's outcome when it ends. A run a clock before this
 * one left running counts as running (overlap applies) until its deadline and {@code
 * inherited-run-grace} have passed. Ticks that fell while no clock ran (the latest of them) and
 * ticks the launcher refused follow the schedule's {@code missed} policy; a tick that comes while
 * the previous run still runs follows its {@code overlap} policy. One timer wakes it at the
 * earliest next tick of all schedules; wall-clock time comes from {@code clock}, so that a test
 * moves both together. A launch's trigger is {@code schedule:NAME@TICK} (e.g. {@code
 * schedule:nightly@2026-01-01T02:30:00Z}): logs and the job's launcher can tell which tick a run
 * is.
 */
public final class ScheduleClock extends AbstractBehavior<ScheduleProtocol.Command> {
  /** For what is logged off the actor's thread (a record's outcome); else the context's log. */
  private static final Logger log = LoggerFactory.getLogger(ScheduleClock.class);

  private record Loaded(TickLedger.Snapshot snapshot, Throwable failure)
      implements ScheduleProtocol.Internal {}

  private enum Wake implements ScheduleProtocol.Internal {
    INSTANCE
  }

  private record Retry(String schedule, Instant tick) implements ScheduleProtocol.Internal {}

  private record Recorded(String schedule, Instant tick, Throwable failure)
      implements ScheduleProtocol.Internal {}

  private record Finished(String schedule, Instant tick, JobOutcome outcome)
      implements ScheduleProtocol.Internal {}

  /** A run a clock before this one left running: from now on, no longer waited for. */
  private record InheritedOver(String schedule, Instant tick)
      implements ScheduleProtocol.Internal {}

  /** The retry timer of one schedule. */
  private record RetryKey(String schedule) {}

  /** The timer of one schedule's inherited run. */
  private record InheritedKey(String schedule) {}

  private final SchedulingSettings settings;
  private final JobLauncher launcher;
  private final TickLedger ledger;
  private final Clock clock;
  private final TimerScheduler<ScheduleProtocol.Command> timers;
  private final Map<String, ScheduleState> states = new LinkedHashMap<>();
  private boolean loaded;

  private ScheduleClock(
      ActorContext<ScheduleProtocol.Command> context,
      TimerScheduler<ScheduleProtocol.Command> timers,
      SchedulingSettings settings,
      JobLauncher launcher,
      TickLedger ledger,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.launcher = launcher;
    this.ledger = ledger;
    this.clock = clock;
    settings.schedules().forEach(s -> states.put(s.name(), new ScheduleState(s)));
    context.pipeToSelf(ledger.load(), Loaded::new);
  }

  /**
   * @param launcher runs each tick's job
   * @param ledger where the last ticks and runs are read at start, and recorded as they happen
   * @param clock wall-clock time (the system's UTC clock, or a test's)
   */
  public static Behavior<ScheduleProtocol.Command> create(
      SchedulingSettings settings, JobLauncher launcher, TickLedger ledger, Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new ScheduleClock(context, timers, settings, launcher, ledger, clock)));
  }

  @Override
  public Receive<ScheduleProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Loaded.class, this::onLoaded)
        .onMessageEquals(Wake.INSTANCE, this::onWake)
        .onMessage(Recorded.class, this::onRecorded)
        .onMessage(Finished.class, this::onFinished)
        .onMessage(Retry.class, this::onRetry)
        .onMessage(InheritedOver.class, this::onInheritedOver)
        .onMessage(ScheduleProtocol.GetSchedules.class, this::onGetSchedules)
        .build();
  }

  /**
   * Ticks between the last one recorded and now fell while no clock ran: the latest of them is
   * missed (its policy applies); without a record, the clock starts from now.
   */
  private Behavior<ScheduleProtocol.Command> onLoaded(Loaded loaded) {
    TickLedger.Snapshot snapshot =
        loaded.snapshot() != null ? loaded.snapshot() : new TickLedger.Snapshot(Map.of(), Map.of());
    if (loaded.failure() != null) {
      getContext()
          .getLog()
          .warn("schedules: last ticks not read ({}): starting from now", loaded.failure());
    }
    this.loaded = true;
    Instant now = clock.instant();
    for (ScheduleState state : states.values()) {
      state.lastTick = snapshot.lastTicks().get(state.schedule.name());
      state.restore(snapshot.history().getOrDefault(state.schedule.name(), List.of()));
      inherit(state, now);
      state.nextTick = state.schedule.nextAfter(now).orElse(null);
      if (state.lastTick != null) {
        Instant latest = state.schedule.latestAtOrBefore(now).orElse(null);
        if (latest != null && latest.isAfter(state.lastTick)) {
          tick(state, latest, now, "no clock ran at its time");
        }
      }
    }
    getContext().getLog().info("schedules: clock started with {} schedule(s)", states.size());
    wakeAtNextTick(now);
    return this;
  }

  /** A run the clock before this one left running counts as running for a while (overlap). */
  private void inherit(ScheduleState state, Instant now) {
    boolean any = state.lastRunning() != null;
    Instant over = state.inherit(now, settings.inheritedRunGrace());
    if (over != null) {
      timers.startSingleTimer(
          new InheritedKey(state.schedule.name()),
          new InheritedOver(state.schedule.name(), state.running),
          Duration.between(now, over));
      getContext()
          .getLog()
          .info(
              "schedules: {} tick {} was left running by the clock before this one: counted as"
                  + " running until {}",
              state.schedule.name(),
              state.running,
              over);
    }
    if (any) {
      saveHistory(state);
    }
  }

  private Behavior<ScheduleProtocol.Command> onInheritedOver(InheritedOver over) {
    ScheduleState state = states.get(over.schedule());
    if (state.inherited && over.tick().equals(state.running)) {
      Instant now = clock.instant();
      state.unknown(over.tick(), now);
      saveHistory(state);
      runEnded(state, now);
    }
    return this;
  }

  private Behavior<ScheduleProtocol.Command> onWake() {
    if (!loaded) {
      return this;
    }
    Instant now = clock.instant();
    for (ScheduleState state : states.values()) {
      if (state.nextTick == null || state.nextTick.isAfter(now)) {
        continue;
      }
      // Normally one tick is due; after a stall of the JVM, several: only the latest is considered.
      Instant due = state.schedule.latestAtOrBefore(now).orElse(state.nextTick);
      boolean late = Duration.between(due, now).compareTo(settings.missedAfter()) > 0;
      tick(state, due, now, late ? "the clock woke " + Duration.between(due, now) + " late" : null);
      state.nextTick = state.schedule.nextAfter(now).orElse(null);
    }
    wakeAtNextTick(now);
    return this;
  }

  /**
   * One tick of a schedule.
   *
   * @param missed why the tick could not run on time, or null when it is on time
   */
  private void tick(ScheduleState state, Instant tick, Instant now, String missed) {
    if (state.lastTick != null && !tick.isAfter(state.lastTick)) {
      return; // recorded already, by this clock or by one before it
    }
    if (state.refused != null) {
      // The newer tick supersedes the refused one: "run once late" is the latest tick.
      timers.cancel(new RetryKey(state.schedule.name()));
      state.refused = null;
    }
    if (missed != null && state.schedule.missed() == Schedule.Missed.SKIP) {
      handled(state, tick, "skipped", "missed: " + missed, now);
    } else if (state.running == null) {
      fire(state, tick, now);
    } else if (state.schedule.overlap() == Schedule.Overlap.SKIP) {
      handled(state, tick, "skipped", "the run of " + state.running + " was still running", now);
    } else {
      if (state.queued != null) {
        state.notRun(state.queued, "skipped", "a later tick took its place in the queue", now);
        saveHistory(state);
      }
      state.queued = tick; // queue-one: recorded when it is fired
    }
  }

  /** A tick that will not run: recorded all the same, so that no later clock fires it. */
  private void handled(ScheduleState state, Instant tick, String outcome, String why, Instant now) {
    state.lastTick = tick;
    state.notRun(tick, outcome, why, now);
    ledger
        .record(state.schedule.name(), tick, state.runs())
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                log.warn(
                    "schedules: {} tick {} not recorded: {}", state.schedule.name(), tick, failure);
              }
            });
  }

  /** Records the tick, then (on {@link Recorded}) launches it. */
  private void fire(ScheduleState state, Instant tick, Instant now) {
    state.running = tick;
    if (state.lastTick == null || tick.isAfter(state.lastTick)) {
      state.lastTick = tick;
    }
    state.launched(tick, now, now.plus(state.schedule.jobDeadline()));
    getContext()
        .pipeToSelf(
            ledger.record(state.schedule.name(), tick, state.runs()),
            (Done done, Throwable failure) -> new Recorded(state.schedule.name(), tick, failure));
  }

  private Behavior<ScheduleProtocol.Command> onRecorded(Recorded recorded) {
    ScheduleState state = states.get(recorded.schedule());
    Instant now = clock.instant();
    if (!recorded.tick().equals(state.running)) {
      // Sent to this clock before it was restarted: that clock's tick is recorded, not launched.
      getContext()
          .getLog()
          .warn(
              "schedules: {} tick {} recorded by the clock before a restart: not run",
              recorded.schedule(),
              recorded.tick());
      return this;
    }
    if (recorded.failure() != null) {
      // Unrecorded, a run could run again after a restart: at most once wins, it does not run.
      getContext()
          .getLog()
          .error(
              "schedules: {} tick {} not run: it could not be recorded: {}",
              recorded.schedule(),
              recorded.tick(),
              recorded.failure().getMessage());
      state.notRun(recorded.tick(), "failed", "not run: " + recorded.failure().getMessage(), now);
      saveHistory(state);
      runEnded(state, now);
      return this;
    }
    Schedule schedule = state.schedule;
    getContext()
        .pipeToSelf(
            launcher.launch(
                new JobLaunch(
                    schedule.job(),
                    schedule.args(),
                    null,
                    "schedule:" + schedule.name() + "@" + recorded.tick())),
            (outcome, failure) ->
                new Finished(
                    schedule.name(),
                    recorded.tick(),
                    failure == null
                        ? outcome
                        : new JobOutcome(
                            schedule.job(),
                            JobOutcome.Status.FAILED,
                            null,
                            null,
                            null,
                            null,
                            String.valueOf(failure))));
    return this;
  }

  private Behavior<ScheduleProtocol.Command> onFinished(Finished finished) {
    ScheduleState state = states.get(finished.schedule());
    Instant now = clock.instant();
    state.ended(finished.tick(), finished.outcome(), now);
    saveHistory(state);
    if (!finished.tick().equals(state.running)) {
      return this; // a run launched by this clock before a restart: history only
    }
    if (finished.outcome().status() == JobOutcome.Status.REFUSED
        && state.schedule.missed() == Schedule.Missed.RUN_ONCE_LATE
        && state.queued == null
        && finished.tick().equals(state.lastTick)) {
      state.refused = finished.tick();
      timers.startSingleTimer(
          new RetryKey(state.schedule.name()),
          new Retry(state.schedule.name(), finished.tick()),
          settings.retryRefused());
    }
    runEnded(state, now);
    return this;
  }

  /** The run is over: a queued tick goes now. */
  private void runEnded(ScheduleState state, Instant now) {
    state.running = null;
    if (state.inherited) {
      state.inherited = false;
      timers.cancel(new InheritedKey(state.schedule.name()));
    }
    if (state.queued != null) {
      Instant next = state.queued;
      state.queued = null;
      fire(state, next, now);
    }
  }

  private Behavior<ScheduleProtocol.Command> onRetry(Retry retry) {
    ScheduleState state = states.get(retry.schedule());
    if (Objects.equals(state.refused, retry.tick()) && state.running == null) {
      state.refused = null;
      fire(state, retry.tick(), clock.instant());
    }
    return this;
  }

  /** The schedule's runs changed: recorded, in the background (a failure costs history only). */
  private void saveHistory(ScheduleState state) {
    ledger
        .recordHistory(state.schedule.name(), state.runs())
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                log.warn(
                    "schedules: {}'s history not recorded: {}", state.schedule.name(), failure);
              }
            });
  }

  private Behavior<ScheduleProtocol.Command> onGetSchedules(ScheduleProtocol.GetSchedules request) {
    request
        .replyTo()
        .tell(
            new ScheduleProtocol.Schedules(
                states.values().stream().map(ScheduleState::view).toList()));
    return this;
  }

  private void wakeAtNextTick(Instant now) {
    states.values().stream()
        .map(state -> state.nextTick)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .ifPresentOrElse(
            next -> {
              Duration delay = Duration.between(now, next);
              if (delay.compareTo(settings.maxSleep()) > 0) {
                delay = settings.maxSleep(); // then it looks at the time again
              }
              timers.startSingleTimer(Wake.INSTANCE, delay.isNegative() ? Duration.ZERO : delay);
            },
            () -> timers.cancel(Wake.INSTANCE));
  }
}
