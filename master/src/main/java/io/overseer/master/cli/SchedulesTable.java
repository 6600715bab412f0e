package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code overseer schedules}: {@code {"schedules":[...]}} as a table, one line per schedule with
 * its last run; every run is in {@code --json}.
 */
final class SchedulesTable {
  /** The widest "error" cell; the full text is in {@code --json}. */
  private static final int MAX_ERROR = 40;

  private SchedulesTable() {}

  static String of(JsonNode answer) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "schedule",
            "cron",
            "zone",
            "job",
            "overlap",
            "missed",
            "next tick",
            "last tick",
            "outcome",
            "worker",
            "error"));
    for (JsonNode schedule : answer.path("schedules")) {
      JsonNode history = schedule.path("history");
      JsonNode last = history.size() > 0 ? history.get(history.size() - 1) : null;
      rows.add(
          List.of(
              StatusTable.text(schedule, "name"),
              StatusTable.text(schedule, "cron"),
              StatusTable.text(schedule, "timeZone"),
              StatusTable.text(schedule, "job"),
              StatusTable.text(schedule, "overlap"),
              StatusTable.text(schedule, "missed"),
              StatusTable.text(schedule, "nextTick"),
              last == null ? StatusTable.MISSING : StatusTable.text(last, "tick"),
              last == null ? StatusTable.MISSING : StatusTable.text(last, "outcome"),
              last == null ? StatusTable.MISSING : StatusTable.text(last, "worker"),
              last == null ? StatusTable.MISSING : error(StatusTable.text(last, "error"))));
    }
    return StatusTable.render(rows, "no schedules");
  }

  private static String error(String error) {
    String line = error.replaceAll("\\s+", " ");
    return line.length() <= MAX_ERROR ? line : line.substring(0, MAX_ERROR - 1) + "…";
  }
}
