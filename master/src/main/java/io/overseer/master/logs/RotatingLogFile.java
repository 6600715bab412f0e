package io.overseer.master.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log file that prefixes every line with a UTC timestamp and rotates by size: {@code out.log} is
 * written, {@code out.log.1} is the previous file, {@code out.log.2} the one before, and no more
 * than {@link LogSettings#maxFiles()} files exist at a time. Safe for concurrent writers within
 * this JVM; one instance per file.
 *
 * <p>A write that fails (disk full, directory removed) is logged once and the line dropped; the
 * next line tries again, so a failing disk never throws into the thread pumping a process's output.
 */
public final class RotatingLogFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RotatingLogFile.class);

  private final Path file;
  private final LogSettings settings;
  private final Clock clock;

  /** Null after a failed write or rotation: the next line opens the file again. */
  private OutputStream out;

  private long size;
  private boolean closed;
  private long linesLost;

  /** The last prefix formatted: a flood writes many lines per millisecond. */
  private long prefixMillis = Long.MIN_VALUE;

  private String prefix = "";

  /**
   * Opens {@code file} for appending, creating it and its parent directories if needed.
   *
   * @param clock the source of the line timestamps
   */
  public RotatingLogFile(Path file, LogSettings settings, Clock clock) throws IOException {
    this.file = file.toAbsolutePath();
    this.settings = settings;
    this.clock = clock;
    Files.createDirectories(this.file.getParent());
    open(StandardOpenOption.APPEND);
  }

  /** The live file; rotated copies sit next to it with the suffixes {@code .1}, {@code .2}, … */
  public Path file() {
    return file;
  }

  /**
   * Appends {@code <timestamp> <text>\n} and flushes it, rotating first if the line would take the
   * file past {@link LogSettings#maxFileBytes()}. Text containing newlines becomes several lines of
   * which only the first carries the timestamp.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void writeLine(String text) {
    if (closed) {
      throw new IllegalStateException("log file closed: " + file);
    }
    byte[] line = (prefix() + Timestamps.SEPARATOR + text + '\n').getBytes(StandardCharsets.UTF_8);
    try {
      if (out == null) {
        open(StandardOpenOption.APPEND);
      }
      if (size > 0 && size + line.length > settings.maxFileBytes()) {
        rotate();
      }
      out.write(line);
      // Flushed per line: a master that crashes must not lose what its processes already printed.
      out.flush();
      size += line.length;
    } catch (IOException e) {
      dropStream(e);
      if (linesLost++ == 0) {
        log.error(
            "Cannot write to log file {}; dropping its lines until writing works again", file, e);
      }
      return;
    }
    if (linesLost > 0) {
      log.info("Writing to log file {} again after {} lines were dropped", file, linesLost);
      linesLost = 0;
    }
  }

  /** Closes the file; a failure to close is logged, as every line was flushed already. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        log.warn("Cannot close log file {}", file, e);
      }
      out = null;
    }
  }

  private String prefix() {
    Instant now = clock.instant();
    if (now.toEpochMilli() != prefixMillis) {
      prefix = Timestamps.FORMAT.format(now);
      prefixMillis = now.toEpochMilli();
    }
    return prefix;
  }

  private void open(StandardOpenOption mode) throws IOException {
    out =
        new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode));
    size = mode == StandardOpenOption.APPEND ? Files.size(file) : 0;
  }

  /** Shifts every copy up by one (dropping those past maxFiles) and starts a fresh live file. */
  private void rotate() throws IOException {
    OutputStream previous = out;
    out = null;
    previous.close();
    // The live file counts as one of maxFiles; copies from an earlier, larger maxFiles go too.
    int firstDropped = settings.maxFiles() - 1;
    for (Map.Entry<Integer, Path> copy : RotatedCopies.existing(file).descendingMap().entrySet()) {
      if (copy.getKey() >= firstDropped) {
        Files.deleteIfExists(copy.getValue());
      } else {
        Path next = RotatedCopies.copy(file, copy.getKey() + 1);
        Files.move(copy.getValue(), next, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (settings.maxFiles() == 1) {
      open(StandardOpenOption.TRUNCATE_EXISTING);
      return;
    }
    if (Files.exists(file)) {
      Files.move(file, RotatedCopies.copy(file, 1), StandardCopyOption.REPLACE_EXISTING);
    }
    open(StandardOpenOption.APPEND);
  }

  /**
   * After a failure the stream's state is unknown: close it and let the next line reopen the file.
   */
  private void dropStream(IOException failure) {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException closeFailure) {
      failure.addSuppressed(closeFailure);
    }
    out = null;
  }
}
