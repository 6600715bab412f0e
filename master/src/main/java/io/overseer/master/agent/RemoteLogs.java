package io.overseer.master.agent;

import io.overseer.master.logs.LogBatches;
import io.overseer.master.logs.LogLine;
import io.overseer.master.logs.RemoteLogSettings;
import io.overseer.protocol.MasterProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The master's side of {@code overseer logs} for its agents' processes: each agent that is up is
 * asked for its lines at once, and the answers are merged by time for the admin API. An agent that
 * does not answer within {@code overseer.logs.remote.timeout} is named, and its lines left out,
 * rather than holding up the others. Used by {@link AgentDesk}; keeps no state between requests
 * (the cursors travel with them, {@link #encode}).
 */
public final class RemoteLogs {
  /**
   * Every agent's lines of {@code app} (an app, one process id, or empty: every app): the last
   * {@code lines} of hosts with no cursor in {@code after}, and those written since for the others.
   */
  public record Fetch(
      String app, int lines, Map<String, LogBatches.Cursor> after, ActorRef<Answer> replyTo)
      implements MasterProtocol.Internal {}

  /**
   * @param knownApp false: no app and no process of the master has that name (nothing was asked)
   * @param lines every agent's lines, merged by time
   * @param after each agent's cursor for the next request ({@link #encode})
   * @param missing the agents that did not answer in time
   * @param leftOut per agent, the new lines past {@code overseer.logs.remote.max-bytes}
   */
  public record Answer(
      boolean knownApp,
      List<LogLine> lines,
      Map<String, LogBatches.Cursor> after,
      List<String> missing,
      Map<String, Integer> leftOut) {}

  /** {@code HOST:TIME:SEEN}, comma-separated: host names are letters, digits, '_', '.', '-'. */
  private static final Pattern CURSOR =
      Pattern.compile("([A-Za-z0-9_.-]+):(-?\\d{1,19}):(\\d{1,9})");

  private final RemoteLogSettings settings;
  private final Scheduler scheduler;
  private final Executor executor;

  RemoteLogs(RemoteLogSettings settings, Scheduler scheduler, Executor executor) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** Asks every agent of {@code agents} (up, by name) and answers {@code fetch.replyTo()}. */
  void fetch(Map<String, ActorRef<AgentProtocol.ToAgent>> agents, Fetch fetch) {
    Map<String, CompletableFuture<AgentProtocol.LogLines>> asked = new TreeMap<>();
    int lines = Math.min(fetch.lines(), settings.maxLines());
    agents.forEach(
        (host, agent) ->
            asked.put(
                host,
                AskPattern.<AgentProtocol.ToAgent, AgentProtocol.LogLines>ask(
                        agent,
                        replyTo ->
                            new AgentProtocol.ReadLogs(
                                fetch.app(), lines, fetch.after().get(host), replyTo),
                        settings.timeout(),
                        scheduler)
                    .toCompletableFuture()
                    .exceptionally(late -> null)));
    CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
        .thenAcceptAsync(done -> fetch.replyTo().tell(merge(asked, fetch.after())), executor);
  }

  private static Answer merge(
      Map<String, CompletableFuture<AgentProtocol.LogLines>> asked,
      Map<String, LogBatches.Cursor> before) {
    List<LogLine> lines = new ArrayList<>();
    Map<String, LogBatches.Cursor> after = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    Map<String, Integer> leftOut = new LinkedHashMap<>();
    asked.forEach(
        (host, answer) -> {
          AgentProtocol.LogLines got = answer.join();
          if (got == null) {
            missing.add(host);
            if (before.containsKey(host)) {
              after.put(host, before.get(host)); // asked again from there next time
            }
            return;
          }
          got.lines()
              .forEach(
                  l ->
                      lines.add(
                          new LogLine(Instant.ofEpochMilli(l.timeMillis()), l.source(), l.text())));
          after.put(host, got.next());
          if (got.leftOut() > 0) {
            leftOut.put(host, got.leftOut());
          }
        });
    lines.sort(Comparator.comparing(LogLine::time)); // stable: each host's order kept on ties
    return new Answer(true, List.copyOf(lines), after, missing, leftOut);
  }

  /** The cursors as one query parameter: {@code h2:1764460800123:1,h3:...}. */
  public static String encode(Map<String, LogBatches.Cursor> cursors) {
    StringBuilder text = new StringBuilder();
    cursors.forEach(
        (host, c) ->
            text.append(text.length() == 0 ? "" : ",")
                .append(host)
                .append(':')
                .append(c.timeMillis())
                .append(':')
                .append(c.seen()));
    return text.toString();
  }

  /**
   * The inverse of {@link #encode}; empty text is no cursor.
   *
   * @throws IllegalArgumentException naming the part that is not {@code HOST:TIME:SEEN}
   */
  public static Map<String, LogBatches.Cursor> decode(String text) {
    Map<String, LogBatches.Cursor> cursors = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return cursors;
    }
    for (String part : text.split(",", -1)) {
      Matcher m = CURSOR.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "not HOST:TIME:SEEN: '"
                + (part.length() > 40 ? part.substring(0, 40) + "…" : part)
                + "'");
      }
      try {
        cursors.put(
            m.group(1),
            new LogBatches.Cursor(Long.parseLong(m.group(2)), Integer.parseInt(m.group(3))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("a time out of range in '" + part + "'");
      }
    }
    return cursors;
  }
}
