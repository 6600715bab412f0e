package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.CliRun;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Schedules on a real master with four real workers running a real job ({@link TickJob}, which
 * writes one line per run into a file: the run's trigger, with its tick, and the worker's pid).
 * What the workers actually ran is read from that file, not from the master's history:
 *
 * <ul>
 *   <li>every second for 20 s: 20 runs (± 1), never two for one tick;
 *   <li>a worker SIGKILLed in the middle of a run: the tick is not run again (its outcome {@code
 *       lost}), unless the job is retryable — then it runs again on another worker, once;
 *   <li>the master SIGKILLed and started again on the same home: no tick runs twice, and the
 *       schedules' history from before is still shown;
 *   <li>{@code GET /_admin/schedules} and {@code overseer schedules} show all of it.
 * </ul>
 */
@Timeout(300)
class SchedulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCHEDULES =
      """
      overseer {
        apps.web { instances = 4, class-path = "%1$s:%2$s" }
        jobs {
          tick { deadline = 10s }
          hold { implementation = tick, deadline = 10s }
          hold-retryable { implementation = tick, deadline = 20s, retryable-if-lost = true }
          report { implementation = tick }
        }
        schedules {
          beat { cron = "* * * * * *", job = tick, args { file = "%3$s", millis = 100 } }
          slow { cron = "*/4 * * * * *", job = hold, args { file = "%3$s", millis = 3000 } }
          slow-retry { cron = "2/4 * * * * *", job = hold-retryable, args { file = "%3$s", millis = 3000 } }
          nightly { cron = "0 30 2 * * *", time-zone = "Europe/Paris", job = report,
                    overlap = queue-one, missed = skip, history = 5 }
        }
      }
      """;

  /** One line of the runs file: the schedule, its tick, the worker that ran it. */
  private record Ran(String schedule, Instant tick, long pid) {}

  @Test
  void eachTickRunsOnceOnOneWorkerThroughWorkerAndMasterKills() throws Exception {
    Path runs = Files.createTempDirectory("overseer-ticks-").resolve("runs.txt");
    String config =
        SCHEDULES.formatted(
            RunningMaster.WORKER_JAR, UserJars.jobs("tick-job", TickJob.class), runs);
    try (RunningMaster master = RunningMaster.start(config, 4)) {
      HttpResponse<String> anonymous = master.get("/_admin/schedules");
      assertEquals(401, anonymous.statusCode(), anonymous.body());

      // 20 s of an every-second schedule, counted from the ticks the workers ran.
      Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
      Instant to = from.plusSeconds(20);
      awaitRun(runs, "beat", ran -> !ran.tick().isBefore(to.plusSeconds(1)), 60);
      long beats =
          read(runs).stream()
              .filter(r -> r.schedule().equals("beat"))
              .filter(r -> !r.tick().isBefore(from) && r.tick().isBefore(to))
              .count();
      assertTrue(beats >= 19 && beats <= 21, beats + " runs in 20 s of an every-second schedule");
      assertEachTickOnce(runs, "beat");

      // A worker killed in the middle of a run that may not be retried: the tick is lost.
      Ran slow = awaitRun(runs, "slow", ran -> ran.tick().isAfter(to), 30);
      kill(master, slow.pid());
      awaitOutcome(master, "slow", slow.tick(), "lost");
      awaitRun(runs, "slow", ran -> ran.tick().isAfter(slow.tick()), 30);
      assertEquals(1, count(runs, "slow", slow.tick()), "a lost tick is not run again");

      // The same for a retryable job: its tick runs again, once, on another worker.
      Ran retryable = awaitRun(runs, "slow-retry", ran -> ran.tick().isAfter(slow.tick()), 30);
      kill(master, retryable.pid());
      awaitOutcome(master, "slow-retry", retryable.tick(), "succeeded");
      List<Ran> twice =
          read(runs).stream()
              .filter(r -> r.schedule().equals("slow-retry"))
              .filter(r -> r.tick().equals(retryable.tick()))
              .toList();
      assertEquals(2, twice.size(), "run again once after its worker was lost: " + twice);
      assertNotEquals(twice.get(0).pid(), twice.get(1).pid(), "on another worker");

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
      // The table shows each schedule's last run: beat's may be running at that instant (it runs
      // every second), so the table is read again until it shows one that ended.
      CliRun[] table = new CliRun[1];
      await("beat's last run succeeded in the table")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                table[0] = CliRun.run(env, "schedules");
                return table[0]
                    .out()
                    .lines()
                    .anyMatch(l -> l.startsWith("beat ") && l.contains("succeeded"));
              });
      assertEquals(0, table[0].exitCode(), table[0].toString());
      String beatLine =
          table[0].out().lines().filter(l -> l.startsWith("beat ")).findFirst().orElseThrow();
      assertTrue(beatLine.contains("* * * * * *"), table[0].out());
      CliRun json = CliRun.run(env, "schedules", "--json");
      assertEquals(0, json.exitCode(), json.toString());
      assertEquals(4, JSON.readTree(json.out()).get("schedules").size(), json.out());

      // SIGKILL of the master: the state file holds every tick its clock fired, and the next
      // master on the same home fires none of them again.
      master.process.destroyForcibly();
      master.process.waitFor(30, TimeUnit.SECONDS);
      Instant recorded =
          Instant.parse(
              JSON.readTree(Files.readString(master.home.resolve("schedules/last-ticks.json")))
                  .get("last-ticks")
                  .get("beat")
                  .asText());
      try (RunningMaster again = RunningMaster.startAgain(master, "master-2.log", 4)) {
        // The history survived the SIGKILL, in the state file: the runs from before are shown.
        awaitOutcome(again, "slow", slow.tick(), "lost");
        awaitOutcome(again, "slow-retry", retryable.tick(), "succeeded");
        awaitRun(runs, "beat", ran -> ran.tick().isAfter(recorded.plusSeconds(3)), 60);
        assertEachTickOnce(runs, "beat");
      }
    }
  }

  private static List<Ran> read(Path runs) throws IOException {
    List<Ran> all = new ArrayList<>();
    if (!Files.exists(runs)) {
      return all;
    }
    for (String line : Files.readAllLines(runs)) {
      // "schedule:beat@2026-12-01T10:00:00Z 4242"
      String[] words = line.split(" ");
      String trigger = words[0].substring("schedule:".length());
      int at = trigger.indexOf('@');
      all.add(
          new Ran(
              trigger.substring(0, at),
              Instant.parse(trigger.substring(at + 1)),
              Long.parseLong(words[1])));
    }
    return all;
  }

  private static Ran awaitRun(
      Path runs, String schedule, java.util.function.Predicate<Ran> which, int seconds) {
    List<Ran> found = new ArrayList<>();
    await(schedule + " runs")
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Optional<Ran> first =
                  read(runs).stream()
                      .filter(r -> r.schedule().equals(schedule))
                      .filter(which)
                      .findFirst();
              first.ifPresent(found::add);
              return first.isPresent();
            });
    return found.get(0);
  }

  private static long count(Path runs, String schedule, Instant tick) throws IOException {
    return read(runs).stream()
        .filter(r -> r.schedule().equals(schedule) && r.tick().equals(tick))
        .count();
  }

  private static void assertEachTickOnce(Path runs, String schedule) throws IOException {
    TreeMap<Instant, Long> perTick = new TreeMap<>();
    read(runs).stream()
        .filter(r -> r.schedule().equals(schedule))
        .forEach(r -> perTick.merge(r.tick(), 1L, Long::sum));
    perTick.forEach((tick, n) -> assertEquals(1L, n, schedule + " ran twice for " + tick));
  }

  /** SIGKILL of one of this master's workers, by the pid the job wrote. */
  private static void kill(RunningMaster master, long pid) {
    ProcessHandle worker =
        master
            .process
            .toHandle()
            .descendants()
            .filter(p -> p.pid() == pid)
            .findFirst()
            .orElseThrow(() -> new AssertionError("pid " + pid + " is not this master's worker"));
    master.remember(pid);
    worker.destroyForcibly();
  }

  private static void awaitOutcome(
      RunningMaster master, String schedule, Instant tick, String outcome) {
    await(schedule + " " + tick + " " + outcome)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                StreamSupport.stream(schedule(master, schedule).get("history").spliterator(), false)
                    .anyMatch(
                        run ->
                            Instant.parse(run.get("tick").asText()).equals(tick)
                                && outcome.equals(run.path("outcome").asText())));
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
}
