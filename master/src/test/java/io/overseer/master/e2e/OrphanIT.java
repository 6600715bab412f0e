package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No orphans: after the master's SIGKILL nothing it started remains (its reaper stops it all), and
 * what a master killed together with its reaper left is stopped by the next master of the home.
 */
class OrphanIT {
  /**
   * A command app with two children, one of them in the background: neither may outlive the master.
   */
  private static final String SLEEPY =
      """
      overseer.apps.sleepy { mode = command, command = ["sh", "-c", "sleep 1000 & sleep 1000"] }
      """;

  /** sleepy-0's shell and its two sleeps, each remembered for the master's cleanup. */
  private static List<ProcessHandle> sleepyTree(RunningMaster master) {
    JsonNode sleepy =
        master.awaitProcess("sleepy-0", p -> p.hasNonNull("pid"), Duration.ofSeconds(30));
    ProcessHandle shell = ProcessHandle.of(sleepy.get("pid").asLong()).orElseThrow();
    await("both sleeps started")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> shell.descendants().count() == 2);
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(shell);
    shell.descendants().forEach(tree::add);
    tree.forEach(p -> master.remember(p.pid()));
    return tree;
  }

  @Test
  void withinFiveSecondsOfTheMastersSigkillNothingItStartedRemains() throws Exception {
    try (RunningMaster master = RunningMaster.start(SLEEPY)) {
      List<ProcessHandle> started = new ArrayList<>(sleepyTree(master));
      for (JsonNode worker : master.onlineWorkers()) {
        started.add(ProcessHandle.of(worker.get("pid").asLong()).orElseThrow());
      }
      ProcessHandle reaper = master.reaper();
      assertEquals(5, started.size(), "two workers, the shell and its two sleeps: " + started);

      master.process.destroyForcibly(); // SIGKILL: no shutdown hook, no coordinated shutdown
      long killedAt = System.nanoTime();
      master.process.waitFor(5, TimeUnit.SECONDS);

      await("every process the master started has ended")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
      System.out.printf(
          "all %d processes gone %d ms after the master's SIGKILL%n",
          started.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
      await("the reaper has done its work and exited")
          .atMost(Duration.ofSeconds(5))
          .until(() -> !reaper.isAlive());
      assertTrue(
          master.log().contains("reaper: master pid " + master.process.pid() + " is gone"),
          master.logTail());
      assertEquals(
          List.of(),
          List.of(Files.list(master.home.resolve("run/processes")).toArray()),
          "the registry is empty once everything is stopped");
    }
  }

  @Test
  void aMasterStartingOnTheHomeOfOneKilledWithItsReaperStopsWhatItLeft() throws Exception {
    try (RunningMaster first = RunningMaster.start(SLEEPY)) {
      List<ProcessHandle> leftovers = sleepyTree(first);
      ProcessHandle reaper = first.reaper();
      // The reaper first, so that it cannot act on the master's death: as if both died at once.
      reaper.destroyForcibly();
      first.process.destroyForcibly();
      reaper.onExit().get(5, TimeUnit.SECONDS);
      first.process.waitFor(5, TimeUnit.SECONDS);
      assertTrue(
          leftovers.stream().allMatch(ProcessHandle::isAlive),
          "with no reaper, the command app lives on");

      try (RunningMaster second = RunningMaster.startAgain(first, "master-2.log", 2)) {
        assertTrue(
            leftovers.stream().noneMatch(ProcessHandle::isAlive),
            "stopped before the new master launched");
        String log = second.log();
        // Its workers may still be on their way out (they exit on their own at end-of-file): they
        // can be in the list too, but the command app must be.
        assertTrue(
            Pattern.compile(
                    "a previous master of this home left processes: stopped \\[[^\\]]*sleepy-0 \\(pid "
                        + leftovers.get(0).pid()
                        + "\\)")
                .matcher(log)
                .find(),
            second.logTail());
        int sweptAt = log.indexOf("a previous master of this home left processes");
        int firstLaunch = log.indexOf(" launched, pid ");
        assertTrue(
            sweptAt >= 0 && sweptAt < firstLaunch, "the sweep comes before any launch:\n" + log);
        JsonNode sleepy =
            second.awaitProcess("sleepy-0", p -> p.hasNonNull("pid"), Duration.ofSeconds(30));
        assertNotEquals(leftovers.get(0).pid(), sleepy.get("pid").asLong(), "a new sleepy-0 runs");
      }
    }
  }

  @Test
  void aReaperThatDiesWhileTheMasterLivesIsReplacedAndTheReplacementDoesItsWork() throws Exception {
    try (RunningMaster master =
        RunningMaster.start("overseer.apps.web.instances = 0\n" + SLEEPY, 0)) {
      List<ProcessHandle> sleepy = sleepyTree(master);
      ProcessHandle first = master.reaper();
      first.destroyForcibly();

      ProcessHandle[] second = new ProcessHandle[1];
      await("a new reaper")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> (second[0] = master.reaper()).pid() != first.pid());
      master.remember(second[0].pid());
      assertTrue(
          master
              .log()
              .contains("reaper pid " + first.pid() + " exited with 137 while the master lives"),
          master.logTail());
      assertTrue(sleepy.stream().allMatch(ProcessHandle::isAlive), "the apps are not disturbed");

      master.process.destroyForcibly();
      await("the new reaper stopped the command app")
          .atMost(Duration.ofSeconds(5))
          .until(() -> sleepy.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aSecondMasterOfTheSameHomeRefusesAtOnceAndTouchesNothing() throws Exception {
    try (RunningMaster master = RunningMaster.start("overseer.apps.web.instances = 0", 0)) {
      List<Path> files =
          List.of(
              master.home.resolve("admin.token"),
              master.home.resolve("master.pid"),
              master.home.resolve("admin.url"));
      List<String> before = new ArrayList<>();
      for (Path file : files) {
        before.add(Files.readString(file) + Files.getLastModifiedTime(file));
      }
      Path bad = master.directory.resolve("bad.conf");
      Files.writeString(bad, "overseer { apps.web { instances = lots } }");
      for (Path config : List.of(master.directory.resolve("overseer.conf"), bad)) {
        ProcessBuilder builder =
            new ProcessBuilder(
                    RunningMaster.JAVA,
                    "-Xmx128m",
                    "-jar",
                    RunningMaster.MASTER_JAR.toString(),
                    "--config",
                    config.toString())
                .redirectErrorStream(true);
        builder.environment().put("OVERSEER_HOME", master.home.toString());
        Process second = builder.start();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "refuses at once");
        String output = new String(second.getInputStream().readAllBytes()).strip();
        if (config.equals(bad)) {
          assertEquals(78, second.exitValue(), output);
          assertTrue(output.contains("instances"), "names the bad key: " + output);
        } else {
          assertEquals(75, second.exitValue(), output);
          assertEquals(
              "overseer-master: OVERSEER_HOME "
                  + master.home
                  + " is in use by a running master (pid "
                  + master.process.pid()
                  + "): stop it first (overseer stop), or give this one another OVERSEER_HOME",
              output);
        }
      }
      for (int i = 0; i < files.size(); i++) {
        assertEquals(
            before.get(i),
            Files.readString(files.get(i)) + Files.getLastModifiedTime(files.get(i)),
            files.get(i) + " is untouched");
      }
      assertEquals(200, master.get("/health").statusCode(), "the running master still answers");
    }
  }
}
