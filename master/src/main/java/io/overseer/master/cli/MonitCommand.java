package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code overseer monit}: the dashboard's live figures as a terminal table, like {@code pm2 monit}.
 * It reads the master's latest snapshot ({@code /_admin/live}, the same one the dashboard pages are
 * pushed) at the master's own push interval, so any number of monits cost the master no extra work;
 * {@code --once} prints one and exits.
 */
final class MonitCommand {
  /** Home the cursor and clear the screen (ANSI), so each table replaces the last. */
  private static final String CLEAR = "\033[H\033[2J";

  /** The shortest redraw interval, whatever the master says: a terminal cannot show more. */
  private static final long MIN_INTERVAL_MILLIS = 100;

  private final AdminClient client;
  private final PrintStream out;
  private final boolean unicode;

  MonitCommand(AdminClient client, PrintStream out, boolean unicode) {
    this.client = client;
    this.out = out;
    this.unicode = unicode;
  }

  /**
   * @param follow redraw until interrupted (Ctrl-C ends the JVM); else one snapshot
   * @param json the master's JSON, one snapshot per line, instead of the table
   */
  int run(boolean follow, boolean json) throws CliException {
    if (!follow) {
      draw(false, json);
      return 0;
    }
    // Each redraw schedules the next at the pace the master's last answer gave: nothing sleeps,
    // and this thread only waits for a failed ask or its own interruption.
    ScheduledExecutorService pace =
        Executors.newSingleThreadScheduledExecutor(MonitCommand::daemon);
    CompletableFuture<Void> failed = new CompletableFuture<>();
    try {
      pace.execute(() -> redraw(pace, failed, json));
      failed.get();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0; // stopped: as clean an end whether between redraws or while asking
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CliException cli) {
        throw cli;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      pace.shutdownNow();
    }
  }

  private void redraw(ScheduledExecutorService pace, CompletableFuture<Void> failed, boolean json) {
    try {
      long interval = draw(true, json);
      pace.schedule(
          () -> redraw(pace, failed, json),
          Math.max(MIN_INTERVAL_MILLIS, interval),
          TimeUnit.MILLISECONDS);
    } catch (CliException | RuntimeException e) {
      // After an interruption nobody waits for it any more (the pool was shut down).
      failed.completeExceptionally(e);
    }
  }

  /** Asks for one snapshot and prints it; returns the master's push interval in milliseconds. */
  private long draw(boolean follow, boolean json) throws CliException {
    AdminClient.Answer answer = client.live();
    if (json) {
      out.println(answer.body());
    } else {
      out.print((follow ? CLEAR : "") + table(answer.json(), unicode));
    }
    out.flush();
    return answer.json().path("intervalMillis").asLong(1000);
  }

  private static Thread daemon(Runnable task) {
    // A daemon, so that the JVM's end is never held up by a redraw between two ticks.
    Thread thread = new Thread(task, "overseer-monit");
    thread.setDaemon(true);
    return thread;
  }

  /** One snapshot as text: a heading with its time, then one row per process. */
  static String table(JsonNode snapshot, boolean unicode) {
    StringBuilder text = new StringBuilder();
    text.append("overseer monit  ").append(StatusTable.text(snapshot, "time")).append('\n');
    if (snapshot.hasNonNull("error")) {
      text.append("no figures: ").append(snapshot.get("error").asText()).append('\n');
      return text.toString();
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "id",
            "app",
            "host",
            "pid",
            "state",
            "uptime",
            unicode ? "↺" : "restarts",
            "cpu",
            "memory",
            "req/s",
            "p99",
            "in flight"));
    for (JsonNode p : snapshot.path("processes")) {
      boolean running = p.hasNonNull("pid");
      rows.add(
          List.of(
              StatusTable.text(p, "id"),
              StatusTable.text(p, "app"),
              StatusTable.text(p, "host"),
              running ? p.get("pid").asText() : StatusTable.MISSING,
              StatusTable.text(p, "state"),
              running ? StatusTable.uptime(p.path("uptimeMillis").asLong()) : StatusTable.MISSING,
              StatusTable.text(p, "restarts"),
              StatusTable.cpu(p.path("cpuPercent").asDouble(-1)),
              StatusTable.memory(p.path("rssBytes").asLong(-1)),
              String.format(Locale.ROOT, "%.1f", p.path("reqPerSec").asDouble()),
              p.hasNonNull("p99Millis")
                  ? String.format(Locale.ROOT, "%.0f ms", p.get("p99Millis").asDouble())
                  : StatusTable.MISSING,
              StatusTable.text(p, "inFlight")));
    }
    return text.append(StatusTable.render(rows, "no processes")).toString();
  }
}
