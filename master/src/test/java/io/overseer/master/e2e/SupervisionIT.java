package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The restart policy, liveness, exit reasons, environment and logs, against one real master running
 * several apps: real worker JVMs and real commands (/bin/false, /bin/true, /bin/sh).
 */
@Timeout(240)
class SupervisionIT {
  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    String jvm = "\"-XX:+UseSerialGC\", \"-Xmx96m\", \"-XX:TieredStopAtLevel=1\"";
    master =
        RunningMaster.start(
            """
        overseer.logs { max-file-size = 1MiB, max-files = 3 }
        overseer.apps {
          web.liveness { ping-interval = 300ms, timeout = 3s }
          crashy {
            mode = command
            command = ["/bin/false"]
            restart {
              max-restarts = 4
              window = 60s
              min-uptime = 1s
              backoff { initial = 200ms, multiplier = 2.0, max = 10s }
              errored-cool-down = 15s
            }
          }
          finished { mode = command, command = ["/bin/true"], restart.stop-exit-codes = [0] }
          once { mode = command, command = ["/bin/false"], restart.autorestart = off }
          boom {
            mode = worker
            jar = "%s"
            jvm-options = [%s, "-Doverseer.worker.chaos.throw-after=1s"]
            restart { max-restarts = 0, errored-cool-down = 10m }
          }
          flood {
            mode = command
            command = ["/bin/sh", "-c", "yes overseer-flood-line | head -c 20000000; exec sleep 600"]
          }
        }
        """
                .formatted(RunningMaster.WORKER_JAR, jvm));
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  private static List<Instant> launches(JsonNode process) {
    List<Instant> times = new ArrayList<>();
    process.get("recentLaunches").forEach(t -> times.add(Instant.parse(t.asText())));
    return times;
  }

  @Test
  void aCrashLoopBacksOffGrowinglyTurnsErroredAndIsProbedAfterTheCoolDown() throws Exception {
    // The loop runs from the master's start, whenever this test runs: its history (the last ten
    // launches) holds the first run, the 4 restarts, and the probes every 15 s after them.
    JsonNode probed =
        master.awaitProcess("crashy-0", p -> launches(p).size() >= 6, Duration.ofSeconds(90));
    List<Instant> times = launches(probed);
    assertTrue(times.size() < 10, "the history still starts at the first run: " + times);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < 5; i++) {
      gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMillis());
    }
    // Each restart waits at least its backoff, 200 ms doubling: the lower bounds grow by the
    // multiplier. (A loaded machine can only add time, so the gaps are not compared with each
    // other.)
    long expected = 200;
    for (int i = 0; i < gaps.size(); i++, expected *= 2) {
      assertTrue(
          gaps.get(i) >= expected,
          "restart " + (i + 1) + " waited its backoff of " + expected + ": " + gaps);
    }
    // After the first run and max-restarts = 4 restarts it turned errored, and was probed only
    // after the cool-down.
    assertTrue(
        Duration.between(times.get(4), times.get(5)).toMillis() >= 15_000,
        "probed after the cool-down");
    JsonNode errored =
        master.awaitProcess(
            "crashy-0", p -> p.get("state").asText().equals("errored"), Duration.ofSeconds(10));
    assertEquals("exit code 1", errored.get("lastExitReason").asText());
  }

  @Test
  void anExitCodeListedAsDoneIsNotRestarted() throws Exception {
    JsonNode done =
        master.awaitProcess(
            "finished-0", p -> p.get("state").asText().equals("stopped"), Duration.ofSeconds(30));
    assertEquals(0, done.get("lastExitCode").asInt());
    await("it stays stopped")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> launches(master.process("finished-0").orElseThrow()).size() == 1);
  }

  @Test
  void autorestartOffIsHonoured() throws Exception {
    JsonNode once =
        master.awaitProcess(
            "once-0", p -> p.get("state").asText().equals("stopped"), Duration.ofSeconds(30));
    assertEquals(1, once.get("lastExitCode").asInt());
    assertEquals("exit code 1", once.get("lastExitReason").asText());
    assertEquals(0, once.get("restarts").asInt());
  }

  @Test
  void anUncaughtExceptionEndsTheWorkerWithItsTypeAsTheReason() throws Exception {
    JsonNode boom =
        master.awaitProcess(
            "boom-0", p -> !p.get("lastExitReason").isNull(), Duration.ofSeconds(90));
    assertEquals(70, boom.get("lastExitCode").asInt());
    assertEquals(
        "uncaught exception: java.lang.IllegalStateException", boom.get("lastExitReason").asText());
  }

  @Test
  void aStoppedWorkerIsReplacedWithinTheLivenessTimeout() throws Exception {
    JsonNode before =
        master.awaitProcess(
            "web-1", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(60));
    long pid = before.get("pid").asLong();
    Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start();
    assertEquals(0, stop.waitFor());
    JsonNode after =
        master.awaitProcess(
            "web-1",
            p -> p.get("pid").asLong() != pid && p.get("state").asText().equals("online"),
            Duration.ofSeconds(60));
    assertEquals("signal SIGKILL", after.get("lastExitReason").asText());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aWorkerComputingLongerThanTheLivenessTimeoutIsNotReplaced() throws Exception {
    JsonNode before =
        master.awaitProcess(
            "web-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(60));
    int restarts = before.get("restarts").asInt();
    // Both workers get one: whichever web-0 runs takes well over the 3 s liveness timeout.
    var first = master.getAsync("/compute?n=6000000000");
    var second = master.getAsync("/compute?n=6000000000");
    for (HttpResponse<String> response : List.of(first.get(), second.get())) {
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(RunningMaster.json(response).get("millis").asLong() > 3000, response.body());
    }
    JsonNode after = master.process("web-0").orElseThrow();
    assertEquals(
        before.get("pid").asLong(), after.get("pid").asLong(), "the busy worker was left alone");
    assertEquals(restarts, after.get("restarts").asInt());
  }

  @Test
  void eachProcessKnowsItsAppAndInstance() throws Exception {
    JsonNode flood =
        master.awaitProcess(
            "flood-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
    String environ =
        Files.readString(Path.of("/proc", flood.get("pid").asText(), "environ"))
            .replace('\0', '\n');
    assertTrue(
        environ.contains("\nOVERSEER_APP=flood\n") || environ.startsWith("OVERSEER_APP=flood\n"),
        environ);
    assertTrue(environ.contains("OVERSEER_INSTANCE=0\n"), environ);
  }

  @Test
  void aFloodingProcessIsCappedByRotationAndLinesAreTimestamped() throws Exception {
    Path logs = master.home.resolve("logs");
    await("the flood rotated its log")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(logs.resolve("flood-0-out.log.2")));
    await("rotation keeps the cap while the flood lasts")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<Path> files;
              try (Stream<Path> list = Files.list(logs)) {
                files =
                    list.filter(f -> f.getFileName().toString().startsWith("flood-0-out.log"))
                        .toList();
              }
              long total = 0;
              for (Path f : files) {
                try {
                  total += Files.size(f);
                } catch (java.nio.file.NoSuchFileException rotatedAway) {
                  // Rotated out between the listing and this look: it no longer takes any space.
                }
              }
              return files.size() <= 3 && total <= 3 * (1024 * 1024 + 64 * 1024);
            });
    String firstLine = Files.readAllLines(logs.resolve("flood-0-out.log")).get(0);
    assertTrue(
        firstLine.matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z overseer-flood-line"),
        firstLine);
    String workerLine = Files.readAllLines(logs.resolve("web-0-out.log")).get(0);
    assertTrue(workerLine.matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z .*"), workerLine);
    assertTrue(
        master
            .awaitProcess("flood-0", p -> true, Duration.ofSeconds(5))
            .get("state")
            .asText()
            .equals("online"),
        "the flooding process itself keeps running");
  }
}
