package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admin API's lists as text tables, like {@code pm2 ls}. Fields a master does not send yet are
 * shown as "-" rather than failing: the CLI may be newer or older than the master it talks to.
 */
final class StatusTable {
  static final String MISSING = "-";
  private static final String GAP = "  ";

  /** The widest "last exit" cell; the full reason is in {@code status --json}. */
  private static final int MAX_REASON = 60;

  private static final long KIB = 1024;
  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private StatusTable() {}

  /**
   * {@code {"workers":[...]}} as a table.
   *
   * @param unicode whether the terminal can show ↺ (else the column is called "restarts")
   */
  static String workers(JsonNode answer, boolean unicode) {
    List<List<String>> rows = new ArrayList<>();
    String restarts = unicode ? "↺" : "restarts";
    rows.add(
        List.of(
            "id",
            "app",
            "host",
            "mode",
            "pid",
            "uptime",
            restarts,
            "state",
            "cpu",
            "memory",
            "last exit"));
    for (JsonNode w : answer.path("workers")) {
      boolean running = w.hasNonNull("pid");
      rows.add(
          List.of(
              text(w, "id"),
              text(w, "app"),
              text(w, "host"),
              text(w, "mode"),
              running ? w.get("pid").asText() : MISSING,
              running && w.has("uptimeMillis") ? uptime(w.get("uptimeMillis").asLong()) : MISSING,
              text(w, "restarts"),
              text(w, "state"),
              cpu(w.path("cpuPercent").asDouble(-1)),
              memory(w.path("rssBytes").asLong(-1)),
              lastExit(w)));
    }
    return render(rows, "no processes");
  }

  /** {@code {"apps":[...]}} as a table. */
  static String apps(JsonNode answer) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("app", "mode", "instances", "spares", "state"));
    for (JsonNode app : answer.path("apps")) {
      rows.add(
          List.of(
              text(app, "name"),
              text(app, "mode"),
              text(app, "instances"),
              text(app, "spares"),
              text(app, "state")));
    }
    return render(rows, "no apps");
  }

  /**
   * Why the process last exited ("exit code 1", "launch failed: ...", "uncaught exception: ..."):
   * the first thing to know about an instance that keeps restarting. Cut to fit a terminal line.
   */
  static String lastExit(JsonNode process) {
    String reason = text(process, "lastExitReason").replaceAll("\\s+", " ");
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
  }

  /** Uptime the way pm2 shows it: the largest whole unit, 5s, 3m, 2h, 1d. */
  static String uptime(long millis) {
    Duration d = Duration.ofMillis(Math.max(0, millis));
    if (d.toDays() > 0) {
      return d.toDays() + "d";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + "m";
    }
    return d.toSeconds() + "s";
  }

  /** One decimal, 0.3%; negative or missing means not measured (yet). */
  static String cpu(double percent) {
    return percent < 0 ? MISSING : String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /** Binary units with one decimal, 45.2 MiB; negative means unknown. */
  static String memory(long bytes) {
    if (bytes < 0) {
      return MISSING;
    }
    if (bytes < KIB) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= KIB && unit < BYTE_UNITS.length - 1) {
      value /= KIB;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? MISSING : value.asText();
  }

  /** Left-aligned columns as wide as their widest cell; a note under the header when empty. */
  static String render(List<List<String>> rows, String emptyNote) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(c == 0 ? "" : GAP).append(String.format("%-" + widths[c] + "s", row.get(c)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    if (rows.size() == 1) {
      out.append("(").append(emptyNote).append(")\n");
    }
    return out.toString();
  }
}
