package io.overseer.master.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper against real processes this test starts (and ends by pid, whatever happens). */
class ProcessSweeperTest {
  private static final Duration GRACE = Duration.ofMillis(500);
  private static final long ANOTHER_MASTER = -7;

  @TempDir Path dir;
  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void endEveryProcessStarted() {
    for (ProcessHandle process : started) {
      process.destroyForcibly();
      process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> process).join();
    }
  }

  /** Starts argv and remembers it; with {@code descendants} > 0, waits until it has that many. */
  private ProcessHandle start(int descendants, String... argv) throws IOException {
    ProcessHandle process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .toHandle();
    started.add(process);
    await("descendants of " + List.of(argv))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> process.descendants().count() == descendants);
    process.descendants().forEach(started::add);
    return process;
  }

  private static long ticks(ProcessHandle process) {
    return ProcStat.read(process.pid()).orElseThrow().startTicks();
  }

  private ProcessRegistry registry(ProcessRegistry.Entry... entries) {
    ProcessRegistry registry = new ProcessRegistry(dir.resolve("processes"));
    for (ProcessRegistry.Entry entry : entries) {
      registry.record(entry);
    }
    return registry;
  }

  private static void assertEnded(ProcessHandle process) {
    process.onExit().orTimeout(5, TimeUnit.SECONDS).join();
    assertFalse(process.isAlive(), "pid " + process.pid() + " has ended");
  }

  @Test
  void skipsAnEntryWhosePidNowBelongsToAProcessStartedAtAnotherTime() throws IOException {
    ProcessHandle sleep = start(0, "sleep", "1000");
    ProcessRegistry registry =
        registry(new ProcessRegistry.Entry("reused-0", sleep.pid(), ticks(sleep) + 1, true, 1));

    ProcessSweeper.Outcome outcome = ProcessSweeper.sweep(registry, entry -> true, GRACE);

    assertTrue(sleep.isAlive(), "a process that only shares the recorded pid is left alone");
    assertEquals(
        List.of("reused-0"), outcome.reused().stream().map(ProcessRegistry.Entry::id).toList());
    assertTrue(outcome.stopped().isEmpty(), outcome.toString());
    assertTrue(registry.entries().isEmpty(), "the stale entry is forgotten");
  }

  @Test
  void stopsAMatchingEntryWithEveryDescendant() throws IOException {
    ProcessHandle shell = start(2, "sh", "-c", "sleep 1000 & sleep 1000 & wait");
    List<ProcessHandle> sleeps = shell.descendants().toList();
    ProcessRegistry registry =
        registry(new ProcessRegistry.Entry("app-0", shell.pid(), ticks(shell), false, 1));

    ProcessSweeper.Outcome outcome = ProcessSweeper.sweep(registry, entry -> true, GRACE);

    assertEquals(
        List.of("app-0"), outcome.stopped().stream().map(ProcessRegistry.Entry::id).toList());
    assertEnded(shell);
    sleeps.forEach(ProcessSweeperTest::assertEnded);
    assertTrue(registry.entries().isEmpty(), "the entry goes with its process");
  }

  @Test
  void stopsTheSessionOfALeaderThatHasAlreadyExited() throws IOException {
    // The leader is killed alone: its children are reparented and are no one's descendants any
    // more,
    // but they keep the session the leader opened.
    ProcessHandle leader =
        start(2, "/usr/bin/setsid", "sh", "-c", "sleep 1000 & sleep 1000 & wait");
    List<ProcessHandle> sleeps = leader.descendants().toList();
    long leaderTicks = ticks(leader);
    await("setsid has run")
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcStat.read(leader.pid()).orElseThrow().session() == leader.pid());
    leader.destroyForcibly();
    assertEnded(leader);
    assertTrue(
        sleeps.stream().allMatch(ProcessHandle::isAlive),
        "orphaned, not ended, by their parent's death");
    ProcessRegistry registry =
        registry(new ProcessRegistry.Entry("daemonish-0", leader.pid(), leaderTicks, true, 1));

    ProcessSweeper.Outcome outcome = ProcessSweeper.sweep(registry, entry -> true, GRACE);

    assertEquals(
        List.of("daemonish-0"), outcome.stopped().stream().map(ProcessRegistry.Entry::id).toList());
    sleeps.forEach(ProcessSweeperTest::assertEnded);
  }

  @Test
  void sweepsOnlyTheEntriesItIsAskedFor() throws IOException {
    ProcessHandle mine = start(0, "sleep", "1000");
    ProcessHandle theirs = start(0, "sleep", "1000");
    ProcessRegistry registry =
        registry(
            new ProcessRegistry.Entry("mine-0", mine.pid(), ticks(mine), false, 1),
            new ProcessRegistry.Entry(
                "theirs-0", theirs.pid(), ticks(theirs), false, ANOTHER_MASTER));

    ProcessSweeper.sweep(registry, entry -> entry.master() == 1, GRACE);

    assertEnded(mine);
    assertTrue(theirs.isAlive(), "another master's process is not this reaper's to stop");
    assertEquals(
        List.of("theirs-0"), registry.entries().stream().map(ProcessRegistry.Entry::id).toList());
  }

  @Test
  void readsTheStatFieldsAfterACommandNameWithSpacesAndParentheses() {
    String line =
        "4242 (a) b (c)) S 17 4242 4242 0 -1 4194304 90 0 0 0 0 0 0 0 20 0 1 0 987654 2457600 139";
    assertEquals(new ProcStat(4242, 'S', 17, 4242, 987654), ProcStat.parse(4242, line));
  }
}
