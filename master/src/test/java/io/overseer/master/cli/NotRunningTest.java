package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the CLI tells that no master runs for an OVERSEER_HOME, and what start does when one does.
 */
class NotRunningTest {
  private static final List<List<String>> MASTER_COMMANDS =
      List.of(
          List.of("status"),
          List.of("apps"),
          List.of("schedules"),
          List.of("restart"),
          List.of("reload", "web"),
          List.of("scale", "web", "2"),
          List.of("stop"));

  @TempDir Path home;
  private Map<String, String> env;

  @BeforeEach
  void environment() {
    env =
        Map.of("OVERSEER_HOME", home.toString(), "OVERSEER_ROOT", home.resolve("root").toString());
  }

  private void assertNotRunningForEveryCommand() {
    for (List<String> command : MASTER_COMMANDS) {
      CliRun run = CliRun.run(env, command.toArray(String[]::new));
      assertEquals(CliException.NOT_RUNNING, run.exitCode(), command + ": " + run);
      assertEquals(
          "overseer is not running for OVERSEER_HOME "
              + home
              + " (start it with: overseer start)\n",
          run.err(),
          command + ": names the home it looked in");
    }
  }

  private void writePidFile(String content) throws Exception {
    Files.writeString(home.resolve(CliHome.PID_FILE), content);
    Files.writeString(home.resolve(CliHome.URL_FILE), "http://127.0.0.1:1\n");
    Files.writeString(home.resolve(CliHome.TOKEN_FILE), "t\n");
  }

  @Test
  void withoutAPidFile() {
    assertNotRunningForEveryCommand();
  }

  @Test
  void withThePidOfAProcessThatExited() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    assertTrue(exited.waitFor(10, TimeUnit.SECONDS));
    writePidFile(exited.pid() + "\n");
    assertNotRunningForEveryCommand();
  }

  @Test
  void withAPidReusedByAProcessStartedAfterThePidFile() throws Exception {
    writePidFile(ProcessHandle.current().pid() + "\n"); // alive, but started after...
    Files.setLastModifiedTime(
        home.resolve(CliHome.PID_FILE), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
    assertNotRunningForEveryCommand(); // ...and not sent SIGTERM by stop
  }

  @Test
  void withAPidFileThatHoldsNoPid() throws Exception {
    writePidFile("not a pid\n");
    assertNotRunningForEveryCommand();
  }

  @Test
  void aLiveMasterWithoutItsUrlFileIsReported() throws Exception {
    Files.writeString(home.resolve(CliHome.PID_FILE), ProcessHandle.current().pid() + "\n");
    CliRun run = CliRun.run(env, "status");
    assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
    assertTrue(run.err().contains(CliHome.URL_FILE + " is missing"), run.toString());
  }

  @Test
  void startRefusesWhenAMasterIsRunning() throws Exception {
    writePidFile(ProcessHandle.current().pid() + "\n");
    CliRun run = CliRun.run(env, "start");
    assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
    assertEquals(
        "overseer is already running for OVERSEER_HOME "
            + home
            + " (pid "
            + ProcessHandle.current().pid()
            + ")\n",
        run.err());
  }

  @Test
  void startRefusesWhileTheHomesLockIsHeldEvenBeforeThePidFileIsWritten() throws Exception {
    Path lockFile = home.resolve(CliHome.LOCK_FILE);
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      channel.write(ByteBuffer.wrap("4242\n".getBytes(StandardCharsets.UTF_8)));
      CliRun run = CliRun.run(env, "start");
      assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
      assertEquals(
          "overseer is already running for OVERSEER_HOME " + home + " (pid 4242)\n", run.err());
      assertEquals(
          List.of(lockFile),
          List.of(Files.list(home).toArray()),
          "nothing else is written into the home");
    }
  }

  @Test
  void aLockFileNoLiveProcessHoldsIsNoMaster() throws Exception {
    Files.writeString(
        home.resolve(CliHome.LOCK_FILE), "4242\n"); // left by a master that has exited
    assertNotRunningForEveryCommand();
    CliRun run = CliRun.run(env, "start", "--config", home.resolve("nope.conf").toString());
    assertEquals(
        "config file not found: " + home.resolve("nope.conf") + "\n", run.err(), "start goes on");
  }

  @Test
  void startNamesAMissingConfigFile() {
    CliRun run = CliRun.run(env, "start", "--config", home.resolve("nope.conf").toString());
    assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
    assertEquals("config file not found: " + home.resolve("nope.conf") + "\n", run.err());
  }
}
