package io.overseer.master.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: what a log holds on disk, and a clock that moves on by itself. */
final class LogFiles {
  static final Instant START = Instant.parse("2026-11-26T16:37:07.123Z");

  private LogFiles() {}

  /** The text of every line of a log, oldest file first, without the timestamp prefixes. */
  static List<String> texts(Path liveFile) {
    List<String> texts = new ArrayList<>();
    for (Path file : LogReader.filesOf(liveFile)) {
      for (String line : lines(file)) {
        texts.add(line.substring(line.indexOf(' ') + 1));
      }
    }
    return texts;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long totalBytes(Path liveFile) {
    long total = 0;
    for (Path file : LogReader.filesOf(liveFile)) {
      total += size(file);
    }
    return total;
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deterministic clock that moves {@code step} forward each time it is read. */
  static Clock stepping(Duration step) {
    return new Clock() {
      private Instant next = START;

      @Override
      public synchronized Instant instant() {
        Instant now = next;
        next = next.plus(step);
        return now;
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        // The log files are written in UTC only; a test asking for another zone is a mistake.
        throw new UnsupportedOperationException("UTC only");
      }
    };
  }
}
