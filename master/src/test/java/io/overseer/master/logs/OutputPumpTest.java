package io.overseer.master.logs;

import static io.overseer.master.logs.LogFiles.texts;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPumpTest {
  private static final Clock FIXED = Clock.fixed(LogFiles.START, ZoneOffset.UTC);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final long FLOOD_BYTES = 20_000_000;
  private static final String FLOOD_LINE = "a line of flood from a runaway process";

  /** Small enough that a flood rotates hundreds of times. */
  private static final LogSettings SMALL = new LogSettings(64 * 1024, 3, 1024);

  @TempDir Path dir;

  @Test
  void aChildProcessFloodingItsOutputLeavesABoundedLog() throws IOException {
    Process flood =
        new ProcessBuilder("/bin/sh", "-c", "yes '" + FLOOD_LINE + "' | head -c " + FLOOD_BYTES)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Path file = dir.resolve("flood-out.log");
    Thread pump =
        OutputPump.start(flood.getInputStream(), sink(file, SMALL), SMALL, "pump-flood-out");
    await().atMost(DEADLINE).until(() -> !pump.isAlive() && !flood.isAlive());
    assertBounded(file, SMALL);
    assertEquals(FLOOD_LINE, texts(file).get(0));
  }

  @Test
  void aFloodWithoutNewlinesIsCutIntoLinesAndStaysBounded() throws IOException {
    Path file = dir.resolve("nonewline-out.log");
    Thread pump =
        OutputPump.start(
            new Unending('x', FLOOD_BYTES), sink(file, SMALL), SMALL, "pump-nonewline");
    await().atMost(DEADLINE).until(() -> !pump.isAlive());
    assertBounded(file, SMALL);
    List<String> texts = texts(file);
    assertEquals("x".repeat(SMALL.maxLineBytes()), texts.get(texts.size() - 2));
    assertEquals(FLOOD_BYTES % SMALL.maxLineBytes(), texts.get(texts.size() - 1).length());
  }

  @Test
  void cutsALineLongerThanMaxLineBytes() throws IOException {
    assertEquals(List.of("abcd", "efgh", "ij", "klm"), pumped("abcdefghij\nklm\n", 4, false));
  }

  @Test
  void keepsMultiByteCharactersWholeAcrossReads() throws IOException {
    String text = "héllo wörld ✓\nsecond ✓ line 😀\n";
    assertEquals(List.of("héllo wörld ✓", "second ✓ line 😀"), pumped(text, 1024, true));
  }

  @Test
  void cutsLongLinesBeforeACharacterNotInsideIt() throws IOException {
    String text = "aé✓b€😀zé✓✓✓";
    List<String> pieces = pumped(text, 4, true);
    assertEquals(text, String.join("", pieces));
    for (String piece : pieces) {
      assertFalse(piece.contains("\uFFFD"), piece);
      assertTrue(piece.getBytes(StandardCharsets.UTF_8).length <= 4, piece);
    }
  }

  @Test
  void replacesInvalidUtf8InsteadOfFailing() throws IOException {
    byte[] bytes = {'o', 'k', (byte) 0xC3, '\n', (byte) 0xFF, 'x', '\n'};
    assertEquals(List.of("ok\uFFFD", "\uFFFDx"), pump(new ByteArrayInputStream(bytes), 1024));
  }

  @Test
  void writesAPartialLastLineAtEndOfFileAndDropsCarriageReturns() throws IOException {
    assertEquals(
        List.of("first", "dos line", "last without newline"),
        pumped("first\ndos line\r\nlast without newline", 1024, false));
  }

  @Test
  void aCarriageReturnRightAfterACutMakesNoEmptyLine() throws IOException {
    assertEquals(List.of("abcd", "efgh"), pumped("abcd\r\nefgh\r\n", 4, false));
  }

  @Test
  void closesTheSinkAtEndOfFile() throws IOException {
    RotatingLogFile sink = sink(dir.resolve("closed.log"), SMALL);
    Thread pump = OutputPump.start(InputStream.nullInputStream(), sink, SMALL, "pump-empty");
    await().atMost(DEADLINE).until(() -> !pump.isAlive());
    assertThrows(IllegalStateException.class, () -> sink.writeLine("late"));
    assertTrue(pump.isDaemon());
  }

  private List<String> pumped(String text, int maxLineBytes, boolean oneByteAtATime)
      throws IOException {
    InputStream stream = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    return pump(oneByteAtATime ? new OneByteReads(stream) : stream, maxLineBytes);
  }

  private List<String> pump(InputStream stream, int maxLineBytes) throws IOException {
    LogSettings settings = new LogSettings(1024 * 1024, 2, maxLineBytes);
    Path file = dir.resolve("pumped.log");
    Thread pump = OutputPump.start(stream, sink(file, settings), settings, "pump-test");
    await().atMost(DEADLINE).until(() -> !pump.isAlive());
    return texts(file);
  }

  private static RotatingLogFile sink(Path file, LogSettings settings) throws IOException {
    return new RotatingLogFile(file, settings, FIXED);
  }

  private static void assertBounded(Path file, LogSettings settings) {
    List<Path> files = LogReader.filesOf(file);
    assertEquals(settings.maxFiles(), files.size(), "rotated: " + files);
    long longestLine = settings.maxLineBytes() + "2026-11-26T16:37:07.123Z \n".length();
    long onDisk = LogFiles.totalBytes(file);
    assertTrue(
        onDisk <= settings.maxFiles() * settings.maxFileBytes() + longestLine,
        onDisk + " bytes on disk");
  }

  /** Hands out its bytes one read at a time, so that every character straddles two reads. */
  private static final class OneByteReads extends FilterInputStream {
    OneByteReads(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }

  /** {@code count} copies of one byte and no newline, generated rather than held in memory. */
  private static final class Unending extends InputStream {
    private final byte value;
    private long left;

    Unending(char value, long count) {
      this.value = (byte) value;
      this.left = count;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return value;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int count = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + count, value);
      left -= count;
      return count;
    }
  }
}
