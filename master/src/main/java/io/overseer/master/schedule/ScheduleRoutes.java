package io.overseer.master.schedule;

import io.overseer.master.http.EdgeErrors;
import io.overseer.master.http.JsonResponses;
import io.overseer.protocol.ScheduleProtocol;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /_admin/schedules}: {@code {"schedules": [...]}}, each schedule's cron, zone, job,
 * policies, next and last tick and its recent runs, as the clock (wherever it runs) knows them.
 * Mounted by the admin API behind its token.
 */
public final class ScheduleRoutes extends AllDirectives {
  private final ActorRef<ScheduleProtocol.Command> clock;
  private final Duration askTimeout;
  private final Scheduler scheduler;
  private final Executor executor;

  /**
   * @param askTimeout {@code overseer.admin.ask-timeout}: a clock that is moving to another master
   *     answers once it has started there
   */
  public ScheduleRoutes(
      ActorRef<ScheduleProtocol.Command> clock,
      Duration askTimeout,
      Scheduler scheduler,
      Executor executor) {
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** {@code schedules}, relative to {@code /_admin}. */
  public Route routes() {
    return path(
        "schedules",
        () ->
            get(
                () ->
                    completeWithFuture(
                        AskPattern.<ScheduleProtocol.Command, ScheduleProtocol.Schedules>ask(
                                clock, ScheduleProtocol.GetSchedules::new, askTimeout, scheduler)
                            .handleAsync(
                                (answer, error) ->
                                    error != null
                                        ? EdgeErrors.JSON.failure(error)
                                        : JsonResponses.ok(Map.of("schedules", answer.schedules())),
                                executor))));
  }
}
