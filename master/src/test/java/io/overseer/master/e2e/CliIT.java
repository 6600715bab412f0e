package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.CliRun;
import io.overseer.master.cli.OverseerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code overseer} CLI against real masters, run in-process through {@link OverseerCli#run}
 * with OVERSEER_HOME pointing at the master's home, as bin/overseer would run it.
 */
@Timeout(240)
class CliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The installation the CLI's start uses: three levels above master/target/overseer-master.jar.
   */
  private static final Path ROOT =
      RunningMaster.MASTER_JAR.toAbsolutePath().getParent().getParent().getParent();

  private static final Pattern STARTED =
      Pattern.compile("overseer started \\(pid (\\d+)\\), admin at (\\S+)\n");

  @TempDir Path temp;

  /**
   * The session id of a Linux process: the fourth field after the command name in /proc/PID/stat.
   */
  private static long sessionOf(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }

  private static List<JsonNode> workers(CliRun statusJson) throws Exception {
    assertEquals(0, statusJson.exitCode(), statusJson.toString());
    return StreamSupport.stream(JSON.readTree(statusJson.out()).get("workers").spliterator(), false)
        .toList();
  }

  @Test
  void statusTokenAndStopAgainstARunningMaster() throws Exception {
    try (RunningMaster master = RunningMaster.start()) {
      Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
      Set<String> pids = new HashSet<>();
      master.workers().forEach(w -> pids.add(w.get("pid").asText()));
      assertEquals(2, pids.size());

      CliRun status = CliRun.run(env, "status");
      assertEquals(0, status.exitCode(), status.toString());
      List<String> rows = status.out().lines().skip(1).toList();
      assertEquals(2, rows.size(), status.out());
      for (String row : rows) {
        List<String> cells = List.of(row.split("\\s+"));
        assertTrue(cells.contains("online"), row);
        assertTrue(pids.remove(cells.get(4)), "pid column of " + row + " is a worker's pid");
      }

      List<JsonNode> workers = workers(CliRun.run(env, "status", "--json"));
      assertEquals(2, workers.size());
      assertTrue(
          workers.stream()
              .allMatch(w -> w.get("state").asText().equals("online") && w.get("pid").isNumber()));

      Path wrongHome = Files.createDirectories(temp.resolve("wrong-home"));
      for (String file : List.of("master.pid", "admin.url")) {
        Files.copy(master.home.resolve(file), wrongHome.resolve(file));
      }
      Files.writeString(wrongHome.resolve("admin.token"), "not-the-token\n");
      CliRun refused = CliRun.run(Map.of("OVERSEER_HOME", wrongHome.toString()), "status");
      assertEquals(4, refused.exitCode(), refused.toString());

      CliRun stop = CliRun.run(env, "stop");
      assertEquals(0, stop.exitCode(), stop.toString());
      assertEquals("overseer stopped (pid " + master.process.pid() + ")\n", stop.out());
      assertTrue(master.process.waitFor(10, TimeUnit.SECONDS), "the master has exited");
      assertEquals(0, master.process.exitValue(), master.logTail());

      CliRun afterStop = CliRun.run(env, "status");
      assertEquals(3, afterStop.exitCode(), afterStop.toString());
      assertEquals(
          "overseer is not running for OVERSEER_HOME "
              + master.home
              + " (start it with: overseer start)\n",
          afterStop.err());
      assertEquals(3, CliRun.run(env, "stop").exitCode());
    }
  }

  @Test
  void startRunsTheMasterAsADaemonThatStopEnds() throws Exception {
    // No processes: this test is about the daemon's life.
    Path config = temp.resolve("overseer.conf");
    Files.writeString(
        config,
        """
        overseer {
          http.port = %d
          cluster.port = %d
          apps.web.instances = 0
        }
        """
            .formatted(RunningMaster.freePort(), RunningMaster.freePort()));
    Map<String, String> env =
        Map.of(
            "OVERSEER_HOME",
            temp.resolve("home").toString(),
            "OVERSEER_ROOT",
            ROOT.toString(),
            "OVERSEER_MASTER_JAVA_OPTS",
            "-Xmx256m -XX:+UseSerialGC");
    List<Long> started = new ArrayList<>();
    try {
      CliRun start = CliRun.run(env, "start", "--config", config.toString());
      Matcher matcher = STARTED.matcher(start.out());
      assertTrue(matcher.matches(), start.toString());
      long pid = Long.parseLong(matcher.group(1));
      started.add(pid);
      assertEquals(pid, Long.parseLong(Files.readString(temp.resolve("home/master.pid")).trim()));
      assertTrue(
          Files.exists(temp.resolve("home/logs/master.log")),
          "the daemon's output is in master.log");
      // Written by the master itself through a rotating log file: each line carries its UTC
      // timestamp.
      assertTrue(
          Files.readAllLines(temp.resolve("home/logs/master.log")).stream()
              .anyMatch(
                  line ->
                      line.matches(
                          "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z .*master pid " + pid + " started.*")),
          "master.log holds the master's own timestamped lines");
      ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
      assertEquals(
          pid,
          sessionOf(pid),
          "the daemon leads a session of its own: a closed terminal spares it");

      CliRun again = CliRun.run(env, "start", "--config", config.toString());
      assertEquals(1, again.exitCode(), again.toString());
      assertEquals(
          "overseer is already running for OVERSEER_HOME "
              + temp.resolve("home")
              + " (pid "
              + pid
              + ")\n",
          again.err());

      CliRun status = CliRun.run(env, "status", "--json");
      assertEquals(0, status.exitCode(), status.toString());
      workers(status); // parses
      daemon.descendants().forEach(process -> started.add(process.pid())); // for the cleanup below

      CliRun stop = CliRun.run(env, "stop");
      assertEquals(0, stop.exitCode(), stop.toString());
      assertEquals("overseer stopped (pid " + pid + ")\n", stop.out());
      assertFalse(daemon.isAlive());
      assertFalse(Files.exists(temp.resolve("home/master.pid")), "the pid file is removed");
      assertFalse(Files.exists(temp.resolve("home/admin.url")), "the admin URL file is removed");
    } finally {
      // Whatever failed above, no daemon or worker started here outlives the test.
      Path pidFile = temp.resolve("home/master.pid");
      if (Files.exists(pidFile)) {
        long daemonPid = Long.parseLong(Files.readString(pidFile).trim());
        started.add(daemonPid);
        ProcessHandle.of(daemonPid)
            .ifPresent(d -> d.descendants().forEach(p -> started.add(p.pid())));
      }
      for (long pid : started) {
        ProcessHandle.of(pid)
            .ifPresent(
                handle -> {
                  handle.destroyForcibly();
                  handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> handle).join();
                });
      }
    }
  }

  @Test
  void stopWaitsAsLongAsOverseerCliStopTimeoutSaysWhenGivenThroughBinOverseer() throws Exception {
    // A command app that ignores SIGTERM holds the master's shutdown for its kill-timeout (60 s):
    // a CLI that waits 1 s gives up long before, and says so.
    try (RunningMaster master =
        RunningMaster.start(
            """
        overseer.apps.web.instances = 0
        overseer.apps.stubborn {
          mode = command
          command = ["sh", "-c", "trap '' TERM; while :; do sleep 1; done"]
          kill-timeout = 60s
        }
        """,
            0)) {
      await("the stubborn app runs")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  master.workers().stream()
                      .anyMatch(p -> p.get("state").asText().equals("online")));
      ProcessBuilder overseer =
          new ProcessBuilder(ROOT.resolve("bin/overseer").toString(), "stop")
              .redirectErrorStream(true);
      overseer.environment().put("OVERSEER_HOME", master.home.toString());
      overseer
          .environment()
          .put("OVERSEER_CLI_JAVA_OPTS", "-Xmx64m -Doverseer.cli.stop-timeout=1s");
      long started = System.nanoTime();
      Process stop = overseer.start();
      assertTrue(
          stop.waitFor(30, TimeUnit.SECONDS), "the CLI gave up well before the master's 60 s");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, stop.exitValue(), output);
      long pid = master.process.pid();
      assertEquals(
          "the master (pid "
              + pid
              + ") did not stop within 1s (overseer.cli.stop-timeout); to force it: kill -9 "
              + pid
              + "\n",
          output);
      assertTrue(
          master.process.isAlive(), "the master is still stopping: the CLI did not wait it out");
      assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "not the default 60 s: " + took);
      master.process.destroyForcibly(); // its reaper ends the stubborn app
    }
  }
}
