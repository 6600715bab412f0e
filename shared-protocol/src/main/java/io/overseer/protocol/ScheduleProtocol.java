package io.overseer.protocol;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a master asks the schedules' clock, a cluster singleton that may run on another master: its
 * schedules as they stand. Instants are ISO-8601 text (UTC), as the admin API shows them.
 */
public interface ScheduleProtocol {

  /**
   * Messages the clock accepts. The wire message is listed here; {@link Internal} is the clock's
   * own extension point for its timers and the outcomes of its launches, which never leave its JVM.
   */
  sealed interface Command permits GetSchedules, Internal {}

  /** Local-only messages of the clock (never serialized). */
  non-sealed interface Internal extends Command {}

  /** Every schedule's state and recent runs, answered with {@link Schedules}. */
  record GetSchedules(ActorRef<Schedules> replyTo) implements Command, OverseerSerializable {}

  /** The answer to {@link GetSchedules}, schedules by name. */
  record Schedules(List<ScheduleView> schedules) implements OverseerSerializable {}

  /**
   * One schedule.
   *
   * @param overlap {@code skip} or {@code queue-one}
   * @param missed {@code run-once-late} or {@code skip}
   * @param nextTick the next tick the clock will fire, or null if it never fires again
   * @param lastTick the last tick handled (fired, skipped or dropped), or null
   * @param running the tick whose run has not ended yet, or null
   * @param queued the tick waiting for it (overlap = queue-one), or null
   * @param history the last runs, oldest first
   */
  record ScheduleView(
      String name,
      String cron,
      String timeZone,
      String job,
      String overlap,
      String missed,
      String nextTick,
      String lastTick,
      String running,
      String queued,
      List<Run> history)
      implements OverseerSerializable {}

  /**
   * One tick's run.
   *
   * @param tick the scheduled instant that identifies it
   * @param started when the job was launched, or null if it never was (skipped)
   * @param ended when its outcome was known, or null while it runs
   * @param worker the process that ran it, or null
   * @param outcome {@code running}, {@code succeeded}, {@code failed}, {@code timed-out}, {@code
   *     lost}, {@code refused}, {@code skipped} or {@code unknown} (launched by a clock before this
   *     one, whose outcome did not reach it)
   * @param error why it did not succeed, or null
   */
  record Run(String tick, String started, String ended, String worker, String outcome, String error)
      implements OverseerSerializable {}
}
