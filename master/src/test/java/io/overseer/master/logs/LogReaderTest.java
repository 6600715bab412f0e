package io.overseer.master.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  private static final Instant T0 = LogFiles.START;

  @TempDir Path dir;

  @Test
  void readsTheLastLinesAcrossTheLiveFileAndItsRotatedCopiesInOrder() throws IOException {
    Path file = dir.resolve("web-0-out.log");
    // About 4 lines a file: the last 10 span three files.
    LogSettings settings = new LogSettings(140, 5, 100);
    try (RotatingLogFile log =
        new RotatingLogFile(file, settings, LogFiles.stepping(Duration.ofMillis(1)))) {
      IntStream.range(0, 50).forEach(i -> log.writeLine("line " + i));
    }
    assertEquals(5, LogReader.filesOf(file).size());
    List<LogLine> last = LogReader.lastLines(Map.of("web-0/out", file), 10);
    assertEquals(IntStream.range(40, 50).mapToObj(i -> "line " + i).toList(), texts(last));
    assertEquals(T0.plusMillis(49), last.get(9).time());
    assertTrue(last.stream().allMatch(line -> line.source().equals("web-0/out")));
  }

  @Test
  void mergesSourcesByTimeKeepingTheMapOrderForEqualTimes() throws IOException {
    Path out =
        write("web-0-out.log", line(T0, "out a"), line(at(2), "out c"), line(at(3), "out d"));
    Path err =
        write("web-0-err.log", line(at(1), "err b"), line(at(3), "err d"), line(at(4), "err e"));
    Map<String, Path> sources = new LinkedHashMap<>();
    sources.put("web-0/out", out);
    sources.put("web-0/err", err);

    List<LogLine> last = LogReader.lastLines(sources, 4);

    assertEquals(List.of("out c", "out d", "err d", "err e"), texts(last));
    assertEquals(
        List.of("web-0/out", "web-0/out", "web-0/err", "web-0/err"),
        last.stream().map(LogLine::source).toList());
    assertEquals(
        List.of("out a", "err b", "out c", "out d", "err d", "err e"),
        texts(LogReader.lastLines(sources, 6)));
  }

  @Test
  void returnsEverythingWhenFewerLinesExistThanAskedFor() throws IOException {
    Path file = write("few.log", line(T0, "one"), line(at(1), "two"));
    assertEquals(List.of("one", "two"), texts(LogReader.lastLines(Map.of("few", file), 100)));
    assertEquals(List.of(), LogReader.lastLines(Map.of("few", file), 0));
    assertEquals(List.of(), LogReader.lastLines(Map.of("missing", dir.resolve("missing.log")), 5));
  }

  @Test
  void givesALineWithoutTimestampThePreviousLinesTime() throws IOException {
    Path file =
        write(
            "plain.log",
            "plain first",
            line(T0, "stamped"),
            "  at continuation",
            "2026-13-45T99:99:99.999Z fake");
    List<LogLine> lines = LogReader.lastLines(Map.of("plain", file), 10);
    assertEquals(
        List.of(
            new LogLine(Instant.EPOCH, "plain", "plain first"),
            new LogLine(T0, "plain", "stamped"),
            new LogLine(T0, "plain", "  at continuation"),
            new LogLine(T0, "plain", "2026-13-45T99:99:99.999Z fake")),
        lines);
  }

  @Test
  void readsALastLineWithoutNewlineAndEmptyLines() throws IOException {
    Path file = dir.resolve("unfinished.log");
    Files.writeString(file, line(T0, "done") + "\n\n" + line(at(1), "half written"));
    assertEquals(
        List.of("done", "", "half written"), texts(LogReader.lastLines(Map.of("u", file), 5)));
    assertEquals(List.of("half written"), texts(LogReader.lastLines(Map.of("u", file), 1)));
  }

  @Test
  void readsALongFileFromItsEndAcrossManyBlocks() throws IOException {
    Path file = dir.resolve("long.log");
    StringBuilder content = new StringBuilder();
    IntStream.range(0, 20_000)
        .forEach(i -> content.append(line(at(i), "entry ✓ " + i)).append('\n'));
    Files.writeString(file, content);
    List<LogLine> last = LogReader.lastLines(Map.of("long", file), 3000);
    assertEquals(3000, last.size());
    assertEquals("entry ✓ 17000", last.get(0).text());
    assertEquals("entry ✓ 19999", last.get(2999).text());
  }

  @Test
  void listsTheFilesOfALogOldestFirst() throws IOException {
    Path live = write("web-0-out.log", "live");
    for (String suffix : List.of(".1", ".2", ".10", ".old", ".1.gz")) {
      Files.writeString(dir.resolve("web-0-out.log" + suffix), "copy\n");
    }
    Files.writeString(dir.resolve("web-0-out.logx.3"), "another log\n");
    assertEquals(
        List.of(
            dir.resolve("web-0-out.log.10"),
            dir.resolve("web-0-out.log.2"),
            dir.resolve("web-0-out.log.1"),
            live),
        LogReader.filesOf(live));
    assertEquals(List.of(), LogReader.filesOf(dir.resolve("nowhere/out.log")));
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  private static Instant at(int millis) {
    return T0.plusMillis(millis);
  }

  private static String line(Instant time, String text) {
    return Timestamps.FORMAT.format(time) + " " + text;
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(LogLine::text).toList();
  }
}
