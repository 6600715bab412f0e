package io.overseer.master.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a host sends of its logs to the master: last lines, lines since a cursor, the limits. */
class LogBatchesTest {
  private static final RemoteLogSettings ROOMY =
      new RemoteLogSettings(100, 64 * 1024, Duration.ZERO);

  @TempDir Path logs;

  private static String at(int millis, String text) {
    return "2024-05-01T10:00:00.%03dZ %s\n".formatted(millis, text);
  }

  private void append(String file, String... lines) throws Exception {
    Files.writeString(
        logs.resolve(file),
        String.join("", lines),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private Map<String, Path> sources() throws Exception {
    return LogSources.find(logs, Optional.of("web"));
  }

  private static List<String> texts(LogBatches.Batch batch) {
    return batch.lines().stream().map(LogLine::text).toList();
  }

  @Test
  void theLastLinesThenOnlyWhatWasWrittenSinceEvenWithinOneMillisecond() throws Exception {
    append("web-0@h2-out.log", at(1, "a"), at(2, "b"), at(2, "c"));
    append("web-1@h2-err.log", at(1, "x"));
    LogBatches.Batch first = LogBatches.read(sources(), 2, null, ROOMY);
    assertEquals(List.of("b", "c"), texts(first));
    assertEquals(
        new LogBatches.Cursor(first.lines().get(1).time().toEpochMilli(), 2), first.next());

    LogBatches.Batch nothing = LogBatches.read(sources(), 0, first.next(), ROOMY);
    assertEquals(List.of(), texts(nothing));
    assertEquals(first.next(), nothing.next());

    append("web-0@h2-out.log", at(2, "d"), at(3, "e")); // d: the same millisecond as b and c
    append("web-1@h2-err.log", at(4, "y"));
    LogBatches.Batch since = LogBatches.read(sources(), 0, nothing.next(), ROOMY);
    assertEquals(List.of("d", "e", "y"), texts(since));
    assertEquals("web-1@h2/err", since.lines().get(2).source());
  }

  @Test
  void noCursorAndNoLinesStartsFromTheStartSoTheFirstLinesAreNotMissed() throws Exception {
    LogBatches.Batch empty = LogBatches.read(sources(), 5, null, ROOMY);
    assertEquals(LogBatches.Cursor.START, empty.next());
    append("web-0@h2-out.log", at(1, "first"));
    assertEquals(List.of("first"), texts(LogBatches.read(sources(), 0, empty.next(), ROOMY)));
  }

  @Test
  void atMostMaxLinesAreReadAndAtMostMaxBytesSentTheOldestLeftOutAndCounted() throws Exception {
    for (int i = 0; i < 10; i++) {
      append("web-0-out.log", at(i, "line " + i));
    }
    RemoteLogSettings fewLines = new RemoteLogSettings(4, 64 * 1024, Duration.ZERO);
    assertEquals(
        List.of("line 6", "line 7", "line 8", "line 9"),
        texts(LogBatches.read(sources(), 50, null, fewLines)));

    // each line costs its text and its label ("web-0/out", 9): 15 bytes; 40 hold two
    RemoteLogSettings fewBytes = new RemoteLogSettings(100, 40, Duration.ZERO);
    LogBatches.Batch cut = LogBatches.read(sources(), 5, null, fewBytes);
    assertEquals(List.of("line 8", "line 9"), texts(cut));
    assertEquals(3, cut.leftOut());
    assertEquals(9, cut.next().timeMillis() % 1000, "the cursor is at the end all the same");

    append("web-0-out.log", at(10, "x".repeat(100)));
    LogBatches.Batch longLine = LogBatches.read(sources(), 1, null, fewBytes);
    assertEquals(1, longLine.lines().size());
    assertEquals("x".repeat(40 / 4 - 9), longLine.lines().get(0).text(), "a long line is cut");
  }
}
