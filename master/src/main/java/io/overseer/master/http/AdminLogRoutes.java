package io.overseer.master.http;

import io.overseer.master.agent.RemoteLogs;
import io.overseer.master.logs.LogBatches;
import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /_admin/logs}, below {@link AdminRoutes} (which checks the token first). */
final class AdminLogRoutes extends AllDirectives {
  private final ActorRef<MasterProtocol.Command> desk;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Duration timeout;

  /**
   * @param desk the agent desk, which asks the agents
   * @param timeout an upper bound only: the desk answers within overseer.logs.remote.timeout
   */
  AdminLogRoutes(
      ActorRef<MasterProtocol.Command> desk,
      Scheduler scheduler,
      Executor executor,
      Duration timeout) {
    this.desk = desk;
    this.scheduler = scheduler;
    this.executor = executor;
    this.timeout = timeout;
  }

  /**
   * {@code GET /_admin/logs?app=A&lines=N&after=CURSORS}: the lines of the agents' processes, which
   * keep their logs on their own hosts (the CLI reads the master's own from its log directory).
   * Without {@code after}, the last {@code lines} (0 when not given) of each agent; with it, the
   * lines written since, and {@code after} for the next call.
   */
  Route route() {
    return parameterOptional(
        "app",
        app ->
            parameterOptional(
                "lines",
                lines ->
                    parameterOptional(
                        "after",
                        after ->
                            remoteLogs(
                                app.orElse(""),
                                lines.map(AdminLogRoutes::lineCount).orElse(0),
                                cursors(after.orElse(""))))));
  }

  private Route remoteLogs(String app, int lines, Map<String, LogBatches.Cursor> after) {
    CompletionStage<RemoteLogs.Answer> answer =
        AskPattern.ask(
            desk, replyTo -> new RemoteLogs.Fetch(app, lines, after, replyTo), timeout, scheduler);
    return completeWithFuture(
        answer.handleAsync(
            (logs, error) ->
                error != null
                    ? EdgeErrors.JSON.failure(error)
                    : !logs.knownApp()
                        ? EdgeErrors.notFound("unknown app", Map.of("app", app))
                        : JsonResponses.ok(logsBody(logs)),
            executor));
  }

  private static Map<String, Object> logsBody(RemoteLogs.Answer logs) {
    return Map.of(
        "lines",
        logs.lines().stream()
            .map(
                line ->
                    Map.of(
                        "time", line.time().toString(),
                        "source", line.source(),
                        "text", line.text()))
            .toList(),
        "after",
        RemoteLogs.encode(logs.after()),
        "missing",
        logs.missing(),
        "leftOut",
        logs.leftOut());
  }

  /**
   * {@code lines}: a whole number from 0 (the master caps it at overseer.logs.remote.max-lines).
   */
  private static int lineCount(String text) {
    if (!text.matches("\\d{1,9}")) {
      throw new BadParameter(
          "lines", "not a whole number from 0: '" + AdminRoutes.shortened(text) + "'");
    }
    return Integer.parseInt(text);
  }

  private static Map<String, LogBatches.Cursor> cursors(String text) {
    try {
      return RemoteLogs.decode(text);
    } catch (IllegalArgumentException e) {
      throw new BadParameter("after", e.getMessage());
    }
  }
}
