package io.overseer.master.schedule;

import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One configured schedule, {@code overseer.schedules.<name>}: when it ticks and what each tick
 * runs. Ticks are whole seconds (the dialect's finest field), so a tick is identified by its
 * instant.
 *
 * @param name the block's name
 * @param cron the expression as written, for the admin API
 * @param times the expression's instants, computed by cron-utils
 * @param zone the zone its fields are read in
 * @param job the job each tick launches
 * @param args the job's arguments, a JSON object
 * @param overlap what a tick does while the previous run still runs
 * @param missed what happens to a tick that could not run on time
 * @param history how many runs the clock keeps (and records) for the admin API
 * @param jobDeadline the job's configured deadline: how long a run may last
 */
public record Schedule(
    String name,
    String cron,
    ExecutionTime times,
    ZoneId zone,
    String job,
    ObjectNode args,
    Overlap overlap,
    Missed missed,
    int history,
    java.time.Duration jobDeadline) {

  /** {@code overlap}: a tick while the previous run still runs. */
  public enum Overlap {
    /** Not run; the history says so. */
    SKIP,
    /** Run as soon as the previous run ends; at most one waits. */
    QUEUE_ONE
  }

  /** {@code missed}: a tick that could not run on time (no clock ran, no worker was ready). */
  public enum Missed {
    /** The latest such tick runs once, late. */
    RUN_ONCE_LATE,
    /** Not run. */
    SKIP
  }

  /** The first tick strictly after {@code instant}; empty if the expression never fires again. */
  public Optional<Instant> nextAfter(Instant instant) {
    return times
        .nextExecution(atZone(instant.truncatedTo(ChronoUnit.SECONDS)))
        .map(ZonedDateTime::toInstant);
  }

  /** The latest tick at or before {@code instant}. */
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    return times
        .lastExecution(atZone(instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)))
        .map(ZonedDateTime::toInstant);
  }

  private ZonedDateTime atZone(Instant instant) {
    return ZonedDateTime.ofInstant(instant, zone);
  }
}
