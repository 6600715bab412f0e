package io.overseer.master.schedule;

import io.overseer.master.jobs.JobOutcome;
import io.overseer.protocol.ScheduleProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One schedule's state inside {@link ScheduleClock}, and only there: the last tick handled, the
 * tick running or waiting, and the last runs (at most {@link Schedule#history()}). Mutated by the
 * clock's message handlers alone, one at a time.
 */
final class ScheduleState {
  final Schedule schedule;

  /** The last tick handled (fired, skipped or dropped): no tick at or before it is fired again. */
  Instant lastTick;

  /** The next tick to consider; null if the expression never fires again. */
  Instant nextTick;

  /** The tick being recorded or run; null when none. */
  Instant running;

  /** overlap = queue-one: the latest tick that came while {@link #running}; null when none. */
  Instant queued;

  /** missed = run-once-late: a tick refused for want of a worker, tried again; null when none. */
  Instant refused;

  private final List<Run> history = new ArrayList<>();

  ScheduleState(Schedule schedule) {
    this.schedule = schedule;
  }

  /**
   * A run of one tick, as the admin API shows it; replaced as the run goes on. {@code started} is
   * when the clock launched it, then when a worker accepted it (the launcher's word).
   */
  private record Run(
      Instant tick, Instant started, Instant ended, String worker, String outcome, String error) {}

  void launched(Instant tick, Instant now) {
    put(new Run(tick, now, null, null, "running", null));
  }

  void ended(Instant tick, JobOutcome outcome, Instant now) {
    put(
        new Run(
            tick,
            outcome.started() != null ? outcome.started() : startedOf(tick, now),
            outcome.ended() != null ? outcome.ended() : now,
            outcome.worker(),
            outcome.status().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            outcome.error()));
  }

  /** A tick that never ran: {@code outcome} is {@code skipped} or {@code failed}. */
  void notRun(Instant tick, String outcome, String why, Instant now) {
    put(new Run(tick, null, now, null, outcome, why));
  }

  /** The tick's entry takes the place of an older one of the same tick (a retry, an end). */
  private void put(Run run) {
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
        .map(Run::started)
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
