package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overseer schedules} against {@link FakeAdminApi}: the table and {@code --json}. */
class SchedulesCommandTest {
  private static final String SCHEDULES =
      """
      {"schedules":[{"name":"nightly","cron":"0 30 2 * * *","timeZone":"Europe/Paris","job":"report",
        "overlap":"skip","missed":"run-once-late","nextTick":"2026-01-02T01:30:00Z",
        "lastTick":"2026-01-01T01:30:00Z","running":null,"queued":null,
        "history":[{"tick":"2025-12-31T01:30:00Z","started":"2025-12-31T01:30:00.010Z",
                    "ended":"2025-12-31T01:30:02Z","worker":"web-1","outcome":"succeeded","error":null},
                   {"tick":"2026-01-01T01:30:00Z","started":null,"ended":"2026-01-01T01:30:00.002Z",
                    "worker":null,"outcome":"refused","error":"jobs not available"}]},
        {"name":"beat","cron":"* * * * * *","timeZone":"UTC","job":"ping","overlap":"queue-one",
         "missed":"skip","nextTick":"2026-01-01T12:00:01Z","lastTick":null,"running":null,
         "queued":null,"history":[]}]}""";

  @TempDir Path temp;
  private FakeAdminApi api;

  @BeforeEach
  void startApi() throws Exception {
    api = new FakeAdminApi(temp.resolve("home"));
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @Test
  void schedulesPrintsOneLinePerScheduleWithItsLastRun() {
    api.reply("GET", "/_admin/schedules", 200, SCHEDULES);
    CliRun run = CliRun.run(api.env(), "schedules");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(3, lines.size(), run.toString());
    assertTrue(lines.get(0).startsWith("schedule  cron"), run.toString());
    assertEquals(
        List.of(
            "nightly",
            "0 30 2 * * *",
            "Europe/Paris",
            "report",
            "skip",
            "run-once-late",
            "2026-01-02T01:30:00Z",
            "2026-01-01T01:30:00Z",
            "refused",
            "-",
            "jobs not available"),
        List.of(lines.get(1).split("\\s{2,}")));
    assertEquals(
        List.of(
            "beat",
            "* * * * * *",
            "UTC",
            "ping",
            "queue-one",
            "skip",
            "2026-01-01T12:00:01Z",
            "-",
            "-",
            "-",
            "-"),
        List.of(lines.get(2).split("\\s{2,}")),
        "no run yet");
  }

  @Test
  void schedulesJsonIsTheApisJsonAsIs() {
    api.reply("GET", "/_admin/schedules", 200, SCHEDULES);
    CliRun run = CliRun.run(api.env(), "schedules", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(SCHEDULES + "\n", run.out());
  }

  @Test
  void noSchedulesSaysSo() {
    api.reply("GET", "/_admin/schedules", 200, "{\"schedules\":[]}");
    CliRun run = CliRun.run(api.env(), "schedules");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().endsWith("(no schedules)\n"), run.toString());
  }
}
