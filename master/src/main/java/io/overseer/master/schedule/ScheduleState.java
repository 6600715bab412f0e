package io.overseer.master.schedule;

import io.overseer.master.jobs.JobOutcome;
import io.overseer.protocol.ScheduleProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One schedule's state inside {@link ScheduleClock}, and only there: the last tick handled, the
 * tick running or waiting, and the last runs (at most {@link Schedule#history()}, restored from the
 * {@link TickLedger} when the clock starts). Mutated by the clock's message handlers alone, one at
 * a time.
 */
final class ScheduleState {
  final Schedule schedule;

  /** The last tick handled (fired, skipped or dropped): no tick at or before it is fired again. */
  Instant lastTick;

  /** The next tick to consider; null if the expression never fires again. */
  Instant nextTick;

  /** The tick being recorded or run; null when none. */
  Instant running;

  /**
   * {@link #running} was launched by a clock before this one (a restarted master, a clock that
   * moved): no outcome will come to this clock; it counts as running until its deadline and a
   * grace.
   */
  boolean inherited;

  /** overlap = queue-one: the latest tick that came while {@link #running}; null when none. */
  Instant queued;

  /** missed = run-once-late: a tick refused for want of a worker, tried again; null when none. */
  Instant refused;

  private final List<PastRun> history = new ArrayList<>();

  ScheduleState(Schedule schedule) {
    this.schedule = schedule;
  }

  /** The runs a clock before this one recorded, the newest {@link Schedule#history()} of them. */
  void restore(List<PastRun> runs) {
    history.clear();
    history.addAll(runs.subList(Math.max(0, runs.size() - schedule.history()), runs.size()));
  }

  /** The last runs, oldest first, as recorded. */
  List<PastRun> runs() {
    return List.copyOf(history);
  }

  /** The newest run recorded as running, if any: one a clock before this one left. */
  PastRun lastRunning() {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).running()) {
        return history.get(i);
      }
    }
    return null;
  }

  /**
   * @param deadline when the job's deadline passes: until then (and a grace) a clock that takes
   *     over counts the run as running
   */
  void launched(Instant tick, Instant now, Instant deadline) {
    put(new PastRun(tick, now, null, null, PastRun.RUNNING, null, deadline));
  }

  void ended(Instant tick, JobOutcome outcome, Instant now) {
    put(
        new PastRun(
            tick,
            outcome.started() != null ? outcome.started() : startedOf(tick, now),
            outcome.ended() != null ? outcome.ended() : now,
            outcome.worker(),
            outcome.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            outcome.error(),
            null));
  }

  /**
   * Takes over the runs the clock before this one recorded as running: the newest, while its
   * deadline and {@code grace} have not passed, becomes {@link #running} ({@link #inherited}); the
   * outcome of the others is {@code unknown}.
   *
   * @return when the inherited run stops counting as running, or null if none is inherited
   */
  Instant inherit(Instant now, java.time.Duration grace) {
    PastRun last = lastRunning();
    Instant inheritedUntil = null;
    for (PastRun run : runs()) {
      if (!run.running()) {
        continue;
      }
      Instant over = (run.deadline() != null ? run.deadline() : now).plus(grace);
      if (run == last && over.isAfter(now)) {
        running = run.tick();
        inherited = true;
        inheritedUntil = over;
      } else {
        unknown(run.tick(), now);
      }
    }
    return inheritedUntil;
  }

  /** A run a clock before this one launched, whose outcome did not reach this clock. */
  void unknown(Instant tick, Instant now) {
    put(
        new PastRun(
            tick,
            startedOf(tick, null),
            now,
            null,
            "unknown",
            "launched by the clock before this one (a master restarted, or the clock moved): its"
                + " outcome did not reach this clock",
            null));
  }

  /** A tick that never ran: {@code outcome} is {@code skipped} or {@code failed}. */
  void notRun(Instant tick, String outcome, String why, Instant now) {
    put(new PastRun(tick, null, now, null, outcome, why, null));
  }

  /** The tick's entry takes the place of an older one of the same tick (a retry, an end). */
  private void put(PastRun run) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).tick().equals(run.tick())) {
        history.set(i, run);
        return;
      }
    }
    history.add(run);
    while (history.size() > schedule.history()) {
      history.remove(0);
    }
  }

  private Instant startedOf(Instant tick, Instant fallback) {
    return history.stream()
        .filter(run -> run.tick().equals(tick) && run.started() != null)
        .map(PastRun::started)
        .findFirst()
        .orElse(fallback);
  }

  ScheduleProtocol.ScheduleView view() {
    return new ScheduleProtocol.ScheduleView(
        schedule.name(),
        schedule.cron(),
        schedule.zone().getId(),
        schedule.job(),
        words(schedule.overlap()),
        words(schedule.missed()),
        text(nextTick),
        text(lastTick),
        text(running),
        text(queued),
        history.stream()
            .map(
                run ->
                    new ScheduleProtocol.Run(
                        text(run.tick()),
                        text(run.started()),
                        text(run.ended()),
                        run.worker(),
                        run.outcome(),
                        run.error()))
            .toList());
  }

  /** {@code QUEUE_ONE} as the configuration writes it: {@code queue-one}. */
  private static String words(Enum<?> policy) {
    return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
