package io.overseer.master.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * A JVM's own console sent into a {@link RotatingLogFile}, for a process no one else can pump: the
 * daemon master (the {@code overseer start} that spawned it has exited) and its reaper. Their
 * {@code System.out} and {@code System.err}, logback's console appender included (it writes through
 * {@code System.out} at each call), become timestamped lines of a file rotated like every process
 * log. What the JVM itself writes to file descriptors 1 and 2 (a failure to start, a thread dump)
 * bypasses this and goes where the launcher pointed them.
 */
public final class ConsoleLog {
  private ConsoleLog() {}

  /**
   * From now on, {@code System.out} and {@code System.err} write to {@code file}, rotated by {@code
   * settings}.
   */
  public static void takeOver(Path file, LogSettings settings) throws IOException {
    RotatingLogFile sink = new RotatingLogFile(file, settings, Clock.systemUTC());
    System.setOut(printStream(sink, settings));
    System.setErr(printStream(sink, settings));
  }

  /**
   * A stream whose lines go to {@code sink}; each stream has its own partial line, so several may
   * share a sink.
   */
  static PrintStream printStream(RotatingLogFile sink, LogSettings settings) {
    return new PrintStream(new Lines(sink, settings), true, StandardCharsets.UTF_8);
  }

  /**
   * One stream's bytes cut into lines; both streams share the file, each has its own partial line.
   */
  private static final class Lines extends OutputStream {
    private final LineSplitter splitter;

    Lines(RotatingLogFile sink, LogSettings settings) {
      this.splitter = new LineSplitter(settings.maxLineBytes(), sink::writeLine);
    }

    @Override
    public synchronized void write(int b) {
      splitter.accept(new byte[] {(byte) b}, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      splitter.accept(
          offset == 0 ? bytes : Arrays.copyOfRange(bytes, offset, offset + length), length);
    }
  }
}
