package io.overseer.master.logs;

import static io.overseer.master.logs.LogFiles.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon master's console (System.out and System.err) written as a rotated process log. */
class ConsoleLogTest {
  @TempDir Path dir;

  @Test
  void theConsoleIsRotatedLikeEveryProcessLog() throws IOException {
    Path file = dir.resolve("logs/master.log");
    LogSettings settings = new LogSettings(200, 3, 64);
    try (RotatingLogFile sink =
        new RotatingLogFile(file, settings, Clock.fixed(LogFiles.START, ZoneOffset.UTC))) {
      PrintStream out = ConsoleLog.printStream(sink, settings);
      IntStream.range(0, 40).forEach(i -> out.printf("line %02d%n", i));
    }
    assertTrue(Files.exists(dir.resolve("logs/master.log.1")), "rotated");
    assertTrue(Files.notExists(dir.resolve("logs/master.log.3")), "at most max-files files");
    List<String> kept = texts(file);
    assertEquals("line 39", kept.get(kept.size() - 1));
    assertTrue(kept.size() < 40, "the oldest lines went with the dropped copies: " + kept.size());
  }

  @Test
  void aPartialLineOfOneStreamIsNotMixedWithTheOther() throws IOException {
    Path file = dir.resolve("master.log");
    LogSettings settings = new LogSettings(10_000, 2, 64);
    try (RotatingLogFile sink =
        new RotatingLogFile(file, settings, Clock.fixed(LogFiles.START, ZoneOffset.UTC))) {
      PrintStream out = ConsoleLog.printStream(sink, settings);
      PrintStream err = ConsoleLog.printStream(sink, settings);
      out.print("half a line from out, ");
      err.println("a whole line from err");
      out.println("then its end");
    }
    assertEquals(
        List.of("a whole line from err", "half a line from out, then its end"), texts(file));
  }
}
