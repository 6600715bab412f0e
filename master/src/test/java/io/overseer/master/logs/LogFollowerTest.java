package io.overseer.master.logs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
  /** "2026-11-26T16:37:07.123Z line-042\n": 4 lines fill a file of 140 bytes. */
  private static final LogSettings FOUR_LINES_A_FILE = new LogSettings(140, 3, 100);

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Clock clock = LogFiles.stepping(Duration.ofMillis(1));

  @TempDir Path dir;

  @Test
  void startsAtTheEndAndSeesOnlyWhatIsAppended() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    try (RotatingLogFile log = new RotatingLogFile(file, new LogSettings(10_000, 2, 100), clock);
        LogFollower follower = new LogFollower(Map.of("web-0/out", file))) {
      log.writeLine("before");
      // Opened after "before" was written, so it starts past it.
      try (LogFollower late = new LogFollower(Map.of("web-0/out", file))) {
        assertEquals(List.of(), late.poll());
        log.writeLine("one");
        log.writeLine("two");
        assertEquals(List.of("one", "two"), texts(late.poll()));
        assertEquals(List.of(), late.poll());
      }
      assertEquals(List.of("before", "one", "two"), texts(follower.poll()));
    }
  }

  @Test
  void seesEveryLineOnceWhenPolledBetweenRotations() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    List<String> seen = new ArrayList<>();
    try (RotatingLogFile log = new RotatingLogFile(file, FOUR_LINES_A_FILE, clock);
        LogFollower follower = new LogFollower(Map.of("web-0/out", file))) {
      for (int i = 0; i < 40; i++) {
        log.writeLine(numbered(i));
        // Every third line: polls fall before, right after and well after each rotation.
        if (i % 3 == 0) {
          seen.addAll(texts(follower.poll()));
        }
      }
      seen.addAll(texts(follower.poll()));
    }
    assertEquals(numbered(0, 40), seen);
  }

  @Test
  void readsACopyRotatedPastWholeBetweenTwoPolls() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    try (RotatingLogFile log = new RotatingLogFile(file, FOUR_LINES_A_FILE, clock);
        LogFollower follower = new LogFollower(Map.of("web-0/out", file))) {
      log.writeLine(numbered(0));
      assertEquals(numbered(0, 1), texts(follower.poll()));
      // Two rotations: the followed file becomes .2, lines 4-7 fill .1, line 8 starts the live
      // file.
      IntStream.range(1, 9).forEach(i -> log.writeLine(numbered(i)));
      assertEquals(3, LogReader.filesOf(file).size());
      assertEquals(numbered(1, 9), texts(follower.poll()));
    }
  }

  @Test
  void keepsReadingAFileRotatedOutOfExistenceThroughItsOpenHandle() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    try (RotatingLogFile log = new RotatingLogFile(file, new LogSettings(140, 2, 100), clock);
        LogFollower follower = new LogFollower(Map.of("web-0/out", file))) {
      log.writeLine(numbered(0));
      assertEquals(numbered(0, 1), texts(follower.poll()));
      // Lines 0-3 are rotated to .1 and then deleted; 4-7 are in .1, 8 is live.
      IntStream.range(1, 9).forEach(i -> log.writeLine(numbered(i)));
      assertEquals(numbered(1, 9), texts(follower.poll()));
    }
  }

  @Test
  void keepsUpWithAWriterRotatingConcurrently() throws Exception {
    Path file = dir.resolve("busy.log");
    int total = 2000;
    // The writer may run at most two files ahead: beyond that, lines would be rotated out of
    // existence before any poll, and the loss would be the writer's speed, not the follower's bug.
    Semaphore lag = new Semaphore(8);
    List<String> seen = new ArrayList<>();
    try (RotatingLogFile log = new RotatingLogFile(file, FOUR_LINES_A_FILE, clock);
        LogFollower follower = new LogFollower(Map.of("busy", file))) {
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; i < total && acquire(lag); i++) {
                  log.writeLine(numbered(i));
                }
              },
              "busy-writer");
      writer.start();
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(1))
          .until(
              () -> {
                List<String> polled = texts(follower.poll());
                seen.addAll(polled);
                lag.release(polled.size());
                return seen.size() >= total;
              });
      writer.join(DEADLINE.toMillis());
      assertFalse(writer.isAlive());
    }
    assertEquals(numbered(0, total), seen);
  }

  @Test
  void followsAFileThatIsTruncatedWhenOnlyOneIsKept() throws IOException {
    Path file = dir.resolve("single.log");
    try (RotatingLogFile log = new RotatingLogFile(file, new LogSettings(140, 1, 100), clock);
        LogFollower follower = new LogFollower(Map.of("single", file))) {
      IntStream.range(0, 4).forEach(i -> log.writeLine(numbered(i)));
      assertEquals(numbered(0, 4), texts(follower.poll()));
      log.writeLine(numbered(4));
      assertEquals(numbered(4, 5), texts(follower.poll()));
    }
  }

  @Test
  void followsAFileThatDoesNotExistYetFromItsStart() throws IOException {
    Path file = dir.resolve("later/web-1-out.log");
    try (LogFollower follower = new LogFollower(Map.of("web-1/out", file))) {
      assertEquals(List.of(), follower.poll());
      try (RotatingLogFile log = new RotatingLogFile(file, FOUR_LINES_A_FILE, clock)) {
        log.writeLine("first");
      }
      assertEquals(List.of("first"), texts(follower.poll()));
    }
  }

  @Test
  void mergesTheLinesOfSeveralLogsByTime() throws IOException {
    Path out = dir.resolve("web-0-out.log");
    Path err = dir.resolve("web-0-err.log");
    Map<String, Path> sources = new LinkedHashMap<>();
    sources.put("web-0/out", out);
    sources.put("web-0/err", err);
    try (RotatingLogFile outLog = new RotatingLogFile(out, FOUR_LINES_A_FILE, clock);
        RotatingLogFile errLog = new RotatingLogFile(err, FOUR_LINES_A_FILE, clock);
        LogFollower follower = new LogFollower(sources)) {
      outLog.writeLine("out 1");
      errLog.writeLine("err 2");
      outLog.writeLine("out 3");
      List<LogLine> lines = follower.poll();
      assertEquals(List.of("out 1", "err 2", "out 3"), texts(lines));
      assertEquals(
          List.of("web-0/out", "web-0/err", "web-0/out"),
          lines.stream().map(LogLine::source).toList());
      assertTrue(lines.get(0).time().isBefore(lines.get(1).time()));
    }
  }

  @Test
  void refusesToPollOnceClosed() throws IOException {
    LogFollower follower = new LogFollower(Map.of("x", dir.resolve("x.log")));
    follower.close();
    assertThrows(IllegalStateException.class, follower::poll);
  }

  private static boolean acquire(Semaphore permits) {
    try {
      return permits.tryAcquire(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String numbered(int i) {
    return String.format("line-%03d", i);
  }

  private static List<String> numbered(int from, int to) {
    return IntStream.range(from, to).mapToObj(LogFollowerTest::numbered).toList();
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(LogLine::text).toList();
  }
}
