package io.overseer.master.logs;

import static io.overseer.master.logs.LogFiles.lines;
import static io.overseer.master.logs.LogFiles.size;
import static io.overseer.master.logs.LogFiles.texts;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {
  private static final Clock FIXED = Clock.fixed(LogFiles.START, ZoneOffset.UTC);

  /** "2026-11-26T16:37:07.123Z line-042\n" */
  private static final int NUMBERED_LINE_BYTES = 34;

  @TempDir Path dir;

  @Test
  void prefixesEveryLineWithItsUtcTimeToTheMillisecond() throws IOException {
    Path file = dir.resolve("nested/web-0-out.log");
    Clock wholeSecond = Clock.fixed(LogFiles.START.minusMillis(123), ZoneOffset.UTC);
    try (RotatingLogFile log = new RotatingLogFile(file, new LogSettings(1000, 2, 100), FIXED)) {
      log.writeLine("hello");
      log.writeLine("");
    }
    try (RotatingLogFile log =
        new RotatingLogFile(file, new LogSettings(1000, 2, 100), wholeSecond)) {
      log.writeLine("héllo ✓");
    }
    assertEquals(
        List.of(
            "2026-11-26T16:37:07.123Z hello",
            "2026-11-26T16:37:07.123Z ",
            "2026-11-26T16:37:07.000Z héllo ✓"),
        lines(file));
  }

  @Test
  void keepsAtMostMaxFilesOfAtMostMaxFileBytesWithTheNewestLinesLive() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    LogSettings settings = new LogSettings(4 * NUMBERED_LINE_BYTES, 3, 100);
    try (RotatingLogFile log = new RotatingLogFile(file, settings, FIXED)) {
      IntStream.range(0, 100).forEach(i -> log.writeLine(String.format("line-%03d", i)));
    }
    List<Path> files = LogReader.filesOf(file);
    assertEquals(
        List.of(dir.resolve("web-0-out.log.2"), dir.resolve("web-0-out.log.1"), file), files);
    files.forEach(
        f -> assertTrue(size(f) <= settings.maxFileBytes(), f + " has " + size(f) + " bytes"));
    assertEquals(
        List.of("line-096", "line-097", "line-098", "line-099"), texts(file).subList(8, 12));
    assertEquals(texts(file), expectedNumbered(88, 100));
    assertTrue(lines(files.get(0)).get(0).endsWith("line-088"), "the oldest survivors are in .2");
  }

  @Test
  void writesALineLongerThanMaxFileBytesAloneIntoAFreshFile() throws IOException {
    Path file = dir.resolve("big.log");
    String big = "x".repeat(300);
    try (RotatingLogFile log = new RotatingLogFile(file, new LogSettings(100, 3, 1000), FIXED)) {
      log.writeLine("before");
      log.writeLine(big);
      log.writeLine("after");
    }
    assertEquals(List.of("before", big, "after"), texts(file));
    assertEquals(1, lines(dir.resolve("big.log.1")).size());
    assertEquals(1, lines(file).size());
  }

  @Test
  void writingTenTimesTheBudgetLeavesAtMostTheBudgetOnDisk() throws IOException {
    Path file = dir.resolve("flood.log");
    LogSettings settings = new LogSettings(1000, 4, 1000);
    long budget = settings.maxFiles() * settings.maxFileBytes();
    Random random = new Random(42);
    long written = 0;
    int longest = 0;
    try (RotatingLogFile log = new RotatingLogFile(file, settings, FIXED)) {
      for (int i = 0; written < 10 * budget; i++) {
        String text = i + "-" + "z".repeat(random.nextInt(200));
        log.writeLine(text);
        written += text.length();
        longest = Math.max(longest, text.length());
      }
    }
    assertEquals(settings.maxFiles(), LogReader.filesOf(file).size());
    long onDisk = LogFiles.totalBytes(file);
    assertTrue(onDisk <= budget + longest + NUMBERED_LINE_BYTES, onDisk + " bytes on disk");
  }

  @Test
  void appendsToTheExistingFileAfterARestartAndCountsItsSize() throws IOException {
    Path file = dir.resolve("restart.log");
    LogSettings settings = new LogSettings(4 * NUMBERED_LINE_BYTES, 3, 100);
    try (RotatingLogFile log = new RotatingLogFile(file, settings, FIXED)) {
      IntStream.range(0, 3).forEach(i -> log.writeLine(String.format("line-%03d", i)));
    }
    try (RotatingLogFile log = new RotatingLogFile(file, settings, FIXED)) {
      IntStream.range(3, 6).forEach(i -> log.writeLine(String.format("line-%03d", i)));
    }
    assertEquals(expectedNumbered(0, 6), texts(file));
    assertEquals(
        4, lines(dir.resolve("restart.log.1")).size(), "rotated at 4 lines across the restart");
  }

  @Test
  void withOneFileTruncatesInsteadOfRotating() throws IOException {
    Path file = dir.resolve("single.log");
    try (RotatingLogFile log =
        new RotatingLogFile(file, new LogSettings(4 * NUMBERED_LINE_BYTES, 1, 100), FIXED)) {
      IntStream.range(0, 10).forEach(i -> log.writeLine(String.format("line-%03d", i)));
    }
    assertEquals(List.of(file), LogReader.filesOf(file));
    assertEquals(expectedNumbered(8, 10), texts(file));
  }

  @Test
  void dropsCopiesBeyondALoweredMaxFiles() throws IOException {
    Path file = dir.resolve("shrunk.log");
    for (String suffix : List.of(".1", ".2", ".3", ".7")) {
      Files.writeString(dir.resolve("shrunk.log" + suffix), "old\n");
    }
    try (RotatingLogFile log =
        new RotatingLogFile(file, new LogSettings(NUMBERED_LINE_BYTES, 2, 100), FIXED)) {
      IntStream.range(0, 2).forEach(i -> log.writeLine(String.format("line-%03d", i)));
    }
    assertEquals(List.of(dir.resolve("shrunk.log.1"), file), LogReader.filesOf(file));
    assertEquals(expectedNumbered(0, 2), texts(file));
  }

  @Test
  void keepsWritingAfterAFailureWithoutThrowingAtTheCaller() throws IOException {
    Path file = dir.resolve("blocked.log");
    Path obstacle = Files.createDirectories(dir.resolve("blocked.log.1/in-the-way"));
    try (RotatingLogFile log =
        new RotatingLogFile(file, new LogSettings(NUMBERED_LINE_BYTES, 2, 100), FIXED)) {
      log.writeLine("line-000");
      // The rotation cannot replace a non-empty directory: the line is dropped, not thrown.
      assertDoesNotThrow(() -> log.writeLine("line-xxx"));
      Files.delete(obstacle);
      Files.delete(obstacle.getParent());
      log.writeLine("line-001");
    }
    assertEquals(expectedNumbered(0, 2), texts(file));
  }

  @Test
  void refusesLinesOnceClosed() throws IOException {
    RotatingLogFile log =
        new RotatingLogFile(dir.resolve("closed.log"), new LogSettings(100, 1, 100), FIXED);
    log.close();
    assertThrows(IllegalStateException.class, () -> log.writeLine("late"));
  }

  @Test
  void refusesNonPositiveSettingsNamingTheField() {
    assertEquals("maxFileBytes must be > 0, got 0", refusal(() -> new LogSettings(0, 1, 1)));
    assertEquals("maxFiles must be >= 1, got 0", refusal(() -> new LogSettings(1, 0, 1)));
    assertEquals("maxLineBytes must be > 0, got -1", refusal(() -> new LogSettings(1, 1, -1)));
  }

  private static String refusal(Executable construction) {
    return assertThrows(IllegalArgumentException.class, construction).getMessage();
  }

  private static List<String> expectedNumbered(int from, int to) {
    List<String> expected = new ArrayList<>();
    IntStream.range(from, to).forEach(i -> expected.add(String.format("line-%03d", i)));
    return expected;
  }
}
