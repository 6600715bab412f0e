package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Schedules on a real master: {@code GET /_admin/schedules} and {@code overseer schedules} show the
 * configured schedules and their runs, and a master killed with SIGKILL and started again on the
 * same OVERSEER_HOME fires no tick its predecessor recorded. No jobs run on this branch yet: every
 * tick is refused ("jobs not available") and shown so.
 */
@Timeout(240)
class SchedulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCHEDULES =
      """
      overseer {
        jobs { tick {}, report {} }
        schedules {
          beat { cron = "* * * * * *", job = tick, args { n = 1 } }
          nightly { cron = "0 30 2 * * *", time-zone = "Europe/Paris", job = report,
                    overlap = queue-one, missed = skip, history = 5 }
        }
      }
      """;

  @Test
  void theAdminApiAndTheCliShowTheSchedulesAndARestartRunsNoRecordedTickAgain() throws Exception {
    try (RunningMaster master = RunningMaster.start(SCHEDULES, 0)) {
      HttpResponse<String> anonymous = master.get("/_admin/schedules");
      assertEquals(401, anonymous.statusCode(), anonymous.body());

      List<JsonNode> beatRuns = awaitRuns(master, 3);
      for (JsonNode run : beatRuns) {
        assertEquals("refused", run.get("outcome").asText(), run.toString());
        assertEquals("jobs not available", run.get("error").asText(), run.toString());
      }
      JsonNode nightly = schedule(master, "nightly");
      assertEquals("0 30 2 * * *", nightly.get("cron").asText());
      assertEquals("Europe/Paris", nightly.get("timeZone").asText());
      assertEquals("report", nightly.get("job").asText());
      assertEquals("queue-one", nightly.get("overlap").asText());
      assertEquals("skip", nightly.get("missed").asText());
      Instant next = Instant.parse(nightly.get("nextTick").asText());
      assertTrue(next.isAfter(Instant.now()), next.toString());
      assertTrue(next.toString().endsWith(":30:00Z"), "02:30 in Paris is hh:30 UTC: " + next);
      assertEquals(0, nightly.get("history").size());

      Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
      Run table = cli(env, "schedules");
      assertEquals(0, table.exitCode(), table.toString());
      String beatLine =
          table.out().lines().filter(l -> l.startsWith("beat ")).findFirst().orElseThrow();
      assertTrue(beatLine.contains("* * * * * *"), table.out());
      assertTrue(beatLine.contains("refused"), table.out());
      assertTrue(beatLine.endsWith("jobs not available"), table.out());
      Run json = cli(env, "schedules", "--json");
      assertEquals(0, json.exitCode(), json.toString());
      assertEquals(2, JSON.readTree(json.out()).get("schedules").size(), json.out());

      // SIGKILL: the state file holds every tick the clock fired, written before each launch.
      master.process.destroyForcibly();
      master.process.waitFor(30, TimeUnit.SECONDS);
      Instant recorded =
          Instant.parse(
              JSON.readTree(Files.readString(master.home.resolve("schedules/last-ticks.json")))
                  .get("beat")
                  .asText());
      Instant lastShown = Instant.parse(beatRuns.get(beatRuns.size() - 1).get("tick").asText());
      assertTrue(!recorded.isBefore(lastShown), recorded + " recorded, " + lastShown + " shown");

      try (RunningMaster again = RunningMaster.startAgain(master, "master-2.log", 0)) {
        List<JsonNode> after = awaitRuns(again, 2);
        for (JsonNode run : after) {
          Instant tick = Instant.parse(run.get("tick").asText());
          assertTrue(
              tick.isAfter(recorded), "fired again after the restart: " + tick + " <= " + recorded);
        }
      }
    }
  }

  /** Waits until {@code beat} has at least {@code count} runs that ended; returns them. */
  private static List<JsonNode> awaitRuns(RunningMaster master, int count) {
    List<JsonNode> runs = new ArrayList<>();
    await("%d runs of beat".formatted(count))
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              runs.clear();
              StreamSupport.stream(schedule(master, "beat").get("history").spliterator(), false)
                  .filter(run -> run.hasNonNull("ended"))
                  .forEach(runs::add);
              return runs.size() >= count;
            });
    return runs;
  }

  private static JsonNode schedule(RunningMaster master, String name) throws Exception {
    HttpResponse<String> response =
        master.send(master.adminRequest("/_admin/schedules").timeout(Duration.ofSeconds(10)));
    assertEquals(200, response.statusCode(), response.body());
    for (JsonNode schedule : JSON.readTree(response.body()).get("schedules")) {
      if (schedule.get("name").asText().equals(name)) {
        return schedule;
      }
    }
    throw new AssertionError("no schedule " + name + " in " + response.body());
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        OverseerCli.run(
            args,
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
