package io.overseer.master.logs;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a process's stdout or stderr into a {@link RotatingLogFile}, line by line, on a thread of
 * its own. The pipe is drained as fast as the disk takes it, so a process that floods its output
 * slows down only itself (it blocks on its full pipe) and never the master; lines longer than
 * {@link LogSettings#maxLineBytes()} are cut, so memory stays bounded too.
 */
public final class OutputPump {
  private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

  /** Read size only: how much the pump takes from the pipe at once, not a limit on anything. */
  private static final int READ_BLOCK_BYTES = 8192;

  private OutputPump() {}

  /**
   * Starts a daemon thread that pumps {@code stream} into {@code sink} until end-of-file, writes a
   * last line left without newline, then closes the sink and ends.
   *
   * @param threadName shows in thread dumps, e.g. {@code overseer-log-web-0-out}
   * @return the started thread, to join when the process is gone
   */
  public static Thread start(
      InputStream stream, RotatingLogFile sink, LogSettings settings, String threadName) {
    Thread pump = new Thread(() -> pump(stream, sink, settings), threadName);
    // The master must be able to exit while a child (or a grandchild holding the pipe) is alive.
    pump.setDaemon(true);
    pump.start();
    return pump;
  }

  private static void pump(InputStream stream, RotatingLogFile sink, LogSettings settings) {
    LineSplitter lines = new LineSplitter(settings.maxLineBytes(), sink::writeLine);
    try (sink) {
      readAll(stream, lines, sink);
      lines.finish();
    }
  }

  private static void readAll(InputStream stream, LineSplitter lines, RotatingLogFile sink) {
    byte[] block = new byte[READ_BLOCK_BYTES];
    try (stream) {
      for (int count = stream.read(block); count >= 0; count = stream.read(block)) {
        lines.accept(block, count);
      }
    } catch (IOException e) {
      // The pipe broke under us (closed while the process lived on): what came is still written.
      log.warn("Stopped reading the output logged to {}", sink.file(), e);
    }
  }
}
