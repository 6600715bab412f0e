package io.overseer.master.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overseer.schedules} as the master reads it at start: what it accepts and refuses. */
class SchedulingSettingsTest {
  @TempDir Path home;

  /** Bad input | the message must contain. */
  private static final String[][] BAD = {
    {
      "s { cron = \"0 0 0 * *\", job = job }",
      "overseer.schedules.s.cron: not a cron expression of six fields, seconds first"
    },
    {
      "s { cron = \"61 * * * * *\", job = job }", "overseer.schedules.s.cron: not a cron expression"
    },
    {
      "s { cron = \"every minute\", job = job }", "overseer.schedules.s.cron: not a cron expression"
    },
    {
      "s { cron = \"0 0 0 30 2 *\", job = job }",
      "overseer.schedules.s.cron: \"0 0 0 30 2 *\" never fires again"
    },
    {"s { job = job }", "overseer.schedules.s: cron is required"},
    {"s { cron = \"* * * * * *\" }", "overseer.schedules.s: job is required"},
    {
      "s { cron = \"* * * * * *\", job = nope }",
      "overseer.schedules.s.job: unknown job \"nope\": overseer.jobs declares [job]"
    },
    {
      "s { cron = \"* * * * * *\", job = job, time-zone = \"Mars/Olympus\" }",
      "overseer.schedules.s.time-zone: unknown time zone \"Mars/Olympus\""
    },
    {
      "s { cron = \"* * * * * *\", job = job, overlap = sometimes }",
      "overseer.schedules.s.overlap: unknown policy \"sometimes\" (skip or queue-one)"
    },
    {
      "s { cron = \"* * * * * *\", job = job, missed = later }",
      "overseer.schedules.s.missed: unknown policy \"later\" (run-once-late or skip)"
    },
    {"s { cron = \"* * * * * *\", job = job, crn = x }", "overseer.schedules.s.crn: unknown key"},
    {
      "s { cron = \"* * * * * *\", job = job, args = [1, 2] }",
      "overseer.schedules.s.args: must be an object"
    },
    {
      "s { cron = \"* * * * * *\", job = job, history = 0 }",
      "overseer.schedules.s.history: must be from 1 to 10000, got 0"
    },
    {
      "s { cron = \"* * * * * *\", job = job, history = many }",
      "overseer.schedules.s.history: not a number"
    },
    {"s { cron = [1], job = job }", "overseer.schedules.s.cron: must be a string"},
    {"s = 5", "overseer.schedules.s: must be an object"},
    {"\"bad name!\" { cron = \"* * * * * *\", job = job }", "a schedule's name is 1 to 64 letters"},
  };

  @Test
  void eachBadScheduleIsRefusedWithAMessageNamingItsKey() {
    List<String> table = new ArrayList<>();
    table.add("| input | expected | got |");
    table.add("|---|---|---|");
    List<String> wrong = new ArrayList<>();
    for (String[] bad : BAD) {
      String got;
      try {
        read("jobs { job {} }, schedules { " + bad[0] + " }");
        got = "(accepted)";
      } catch (IllegalArgumentException e) {
        got = e.getMessage();
      }
      table.add("| `" + bad[0] + "` | " + bad[1] + " | " + got.replace("|", "\\|") + " |");
      if (!got.contains(bad[1])) {
        wrong.add(bad[0] + " -> " + got);
      }
    }
    System.out.println(String.join("\n", table));
    assertTrue(wrong.isEmpty(), "refused without the expected message: " + wrong);
  }

  @Test
  void aJobIsUnknownWhenOverseerJobsDeclaresNone() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read("schedules { s { cron = \"* * * * * *\", job = report } }"));
    assertTrue(e.getMessage().contains("unknown job \"report\": overseer.jobs declares no job"));
  }

  @Test
  void aClockSettingOfZeroIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read("scheduling.missed-after = 0s"));
    assertTrue(
        e.getMessage().contains("overseer.scheduling.missed-after: must be longer than 0"),
        e.getMessage());
  }

  @Test
  void theClockSettingsOfTheHistoryAreBounded() {
    for (String bad :
        List.of(
            "scheduling.max-replicated-runs = 0",
            "scheduling.max-replicated-runs = 1001",
            "scheduling.inherited-run-grace = 0s")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
      assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf(' '))), e.getMessage());
    }
    assertEquals(100, read("").maxReplicatedRuns());
  }

  @Test
  void theMessageNamesTheFileAndLine() throws IOException {
    Path file = home.resolve("overseer.conf");
    Files.writeString(
        file,
        "overseer {\n  jobs { job {} }\n  schedules {\n    s { cron = \"0 0 0 * *\", job = job }\n"
            + "  }\n}\n");
    Config user = ConfigFactory.parseFile(file.toFile());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(user));
    assertTrue(e.getMessage().startsWith(file + ":4: overseer.schedules.s.cron: "), e.getMessage());
  }

  @Test
  void aGoodScheduleIsReadWithItsDefaults() {
    SchedulingSettings settings =
        read(
            "jobs { report {} }, schedules { nightly { cron = \"0 30 2 * * *\","
                + " time-zone = \"Europe/Paris\", job = report, args { format = pdf, copies = 2 },"
                + " overlap = queue-one } }");
    Schedule nightly = settings.schedule("nightly");
    assertEquals(ZoneId.of("Europe/Paris"), nightly.zone());
    assertEquals(Schedule.Overlap.QUEUE_ONE, nightly.overlap());
    assertEquals(Schedule.Missed.RUN_ONCE_LATE, nightly.missed());
    assertEquals(20, nightly.history());
    assertEquals(
        new com.fasterxml.jackson.databind.ObjectMapper()
            .createObjectNode()
            .put("format", "pdf")
            .put("copies", 2),
        nightly.args());
    assertEquals(home.resolve("schedules/last-ticks.json"), settings.stateFile());
    // 02:30 in Paris is 01:30 UTC in winter, 00:30 UTC in summer.
    assertEquals(
        Instant.parse("2026-01-02T01:30:00Z"),
        nightly.nextAfter(Instant.parse("2026-01-01T12:00:00Z")).orElseThrow());
    assertEquals(
        Instant.parse("2026-07-02T00:30:00Z"),
        nightly.nextAfter(Instant.parse("2026-07-01T12:00:00Z")).orElseThrow());
  }

  private SchedulingSettings read(String overseer) {
    return create(ConfigFactory.parseString("overseer { " + overseer + " }"));
  }

  private SchedulingSettings create(Config user) {
    return SchedulingSettings.create(
        user.withFallback(ConfigFactory.defaultReference()).resolve().getConfig("overseer"), home);
  }
}
