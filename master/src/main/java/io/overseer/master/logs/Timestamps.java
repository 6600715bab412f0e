package io.overseer.master.logs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code 2026-11-26T16:37:07.123Z } prefix of every line Overseer writes. */
final class Timestamps {
  /** Always three fraction digits, unlike ISO_INSTANT, so that every prefix has the same width. */
  static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  static final char SEPARATOR = ' ';

  /**
   * Width of a prefix written by {@link #FORMAT}, used to skip parsing lines that cannot have one.
   */
  private static final int PREFIX_LENGTH = "2026-11-26T16:37:07.123Z".length();

  private Timestamps() {}

  /** A line split into its prefix and its text. */
  record Parsed(Optional<Instant> time, String text) {}

  /**
   * Splits off the timestamp prefix; a line without one (not written by Overseer) is kept whole.
   */
  static Parsed parse(String line) {
    if (line.length() < PREFIX_LENGTH || line.charAt(PREFIX_LENGTH - 1) != 'Z') {
      return new Parsed(Optional.empty(), line);
    }
    boolean separated = line.length() > PREFIX_LENGTH && line.charAt(PREFIX_LENGTH) == SEPARATOR;
    if (line.length() > PREFIX_LENGTH && !separated) {
      return new Parsed(Optional.empty(), line);
    }
    try {
      Instant time = Instant.parse(line.substring(0, PREFIX_LENGTH));
      return new Parsed(Optional.of(time), separated ? line.substring(PREFIX_LENGTH + 1) : "");
    } catch (DateTimeParseException notATimestamp) {
      // Text that merely looks like a prefix: the line is the process's own, kept whole.
      return new Parsed(Optional.empty(), line);
    }
  }
}
