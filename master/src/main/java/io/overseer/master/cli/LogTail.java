package io.overseer.master.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes' log files, {@code <app>-<instance>-out.log} and {@code -err.log} with rotated
 * copies {@code .1} (newest) to {@code .N}: the last lines of all of them merged by the instant each
 * line starts with, then, for {@code -f}, the lines appended since. A small stand-in until the
 * master's own log reader is available to the CLI.
 */
final class LogTail {
  private static final Pattern FILE_NAME = Pattern.compile("(.+)-(\\d+)-(out|err)\\.log(?:\\.(\\d+))?");
  private static final int LIVE = 0;
  /** Tails are read backwards in chunks of this size until they hold enough lines. */
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Bounds what one poll reads from a file that is new or was rotated under -f. */
  private static final int MAX_POLL_BYTES = 8 * 1024 * 1024;

  /** Where a line comes from: one stream of one instance of an app. */
  record Source(String app, int instance, String stream) {
    String label() {
      return app + "-" + instance + " " + stream;
    }
  }

  /**
   * One line of a log file.
   *
   * @param time the instant the line starts with; a line without one (a stack trace's) takes the
   *     instant of the line before it, so it stays with it when sources are merged
   * @param text the line as written
   */
  record Line(Instant time, Source source, String text) {
    /** The text without its leading instant. */
    String message() {
      if (parseTime(text).isEmpty()) {
        return text;
      }
      int space = text.indexOf(' ');
      return space < 0 ? "" : text.substring(space + 1); // an empty line is written as its instant alone
    }
  }

  /** Where {@code -f} continues in a live file, and which file that was (rotation replaces it). */
  private record Position(Object fileKey, long offset) {}

  private final Path directory;
  private final Optional<String> app;
  private final Map<Path, Position> positions = new HashMap<>();
  private final Map<Source, Instant> lastTimes = new HashMap<>();

  /** @param app only this app's files; empty for every app's */
  LogTail(Path directory, Optional<String> app) {
    this.directory = directory;
    this.app = app;
  }

  /** The last {@code count} lines over all sources, oldest first; {@link #poll} continues from here. */
  List<Line> last(int count) throws IOException {
    List<Line> merged = new ArrayList<>();
    for (Map.Entry<Source, TreeMap<Integer, Path>> source : files().entrySet()) {
      List<String> lines = new ArrayList<>();
      // Newest file first (the live one, then .1, .2, ...) until the source has enough lines.
      for (Map.Entry<Integer, Path> file : source.getValue().entrySet()) {
        BasicFileAttributes attributes = Files.readAttributes(file.getValue(), BasicFileAttributes.class);
        if (file.getKey() == LIVE) {
          // Sized before reading: what is appended meanwhile is poll's, so no line is lost or doubled.
          positions.put(file.getValue(), new Position(attributes.fileKey(), attributes.size()));
        }
        if (lines.size() < count) {
          lines.addAll(0, tailLines(file.getValue(), count - lines.size(), attributes.size()));
        }
      }
      merged.addAll(timestamped(source.getKey(), lines));
    }
    merged.sort(Comparator.comparing(Line::time)); // stable: equal instants keep their file order
    return List.copyOf(merged.subList(Math.max(0, merged.size() - count), merged.size()));
  }

  /**
   * Complete lines appended to the live files since {@link #last} or the previous poll. A file that
   * is new, replaced (rotated) or shorter than before (truncated) is read from its start; lines
   * written to it just before a rotation are then in the rotated copy and not shown.
   */
  List<Line> poll() throws IOException {
    List<Line> appended = new ArrayList<>();
    for (Map.Entry<Source, TreeMap<Integer, Path>> source : files().entrySet()) {
      Path live = source.getValue().get(LIVE);
      if (live == null) {
        continue;
      }
      BasicFileAttributes attributes = Files.readAttributes(live, BasicFileAttributes.class);
      Position seen = positions.get(live);
      long from = seen == null || !Objects.equals(seen.fileKey(), attributes.fileKey())
          || attributes.size() < seen.offset() ? 0 : seen.offset();
      byte[] bytes = read(live, from, (int) Math.min(attributes.size() - from, MAX_POLL_BYTES));
      int complete = lastNewline(bytes) + 1;
      if (complete == 0 && bytes.length == MAX_POLL_BYTES) {
        complete = bytes.length; // one huge line: shown in pieces rather than never
      }
      positions.put(live, new Position(attributes.fileKey(), from + complete));
      List<String> lines = new String(bytes, 0, complete, StandardCharsets.UTF_8).lines().toList();
      appended.addAll(timestamped(source.getKey(), lines));
    }
    appended.sort(Comparator.comparing(Line::time));
    return appended;
  }

  /** Each source's files by rotation number, the live file as {@value #LIVE}. */
  private Map<Source, TreeMap<Integer, Path>> files() throws IOException {
    Map<Source, TreeMap<Integer, Path>> files = new TreeMap<>(
        Comparator.comparing(Source::app).thenComparing(Source::instance).thenComparing(Source::stream));
    if (!Files.isDirectory(directory)) {
      return files;
    }
    try (Stream<Path> listing = Files.list(directory)) {
      for (Path path : listing.filter(Files::isRegularFile).toList()) {
        Matcher name = FILE_NAME.matcher(path.getFileName().toString());
        if (name.matches() && app.map(name.group(1)::equals).orElse(true)) {
          Source source = new Source(name.group(1), Integer.parseInt(name.group(2)), name.group(3));
          int rotation = name.group(4) == null ? LIVE : Integer.parseInt(name.group(4));
          files.computeIfAbsent(source, s -> new TreeMap<>()).put(rotation, path);
        }
      }
    }
    return files;
  }

  private List<Line> timestamped(Source source, List<String> lines) {
    List<Line> result = new ArrayList<>();
    List<String> leading = new ArrayList<>();
    Instant current = lastTimes.get(source);
    for (String text : lines) {
      Optional<Instant> time = parseTime(text);
      if (time.isPresent()) {
        current = time.get();
      }
      if (current == null) {
        leading.add(text); // before the first instant of this tail: takes the next instant
        continue;
      }
      for (String earlier : leading) {
        result.add(new Line(current, source, earlier));
      }
      leading.clear();
      result.add(new Line(current, source, text));
    }
    for (String undated : leading) {
      result.add(new Line(Instant.EPOCH, source, undated)); // a file without a single instant
    }
    if (current != null) {
      lastTimes.put(source, current);
    }
    return result;
  }

  static Optional<Instant> parseTime(String text) {
    if (text.isEmpty() || !Character.isDigit(text.charAt(0))) {
      return Optional.empty();
    }
    int space = text.indexOf(' ');
    try {
      return Optional.of(Instant.parse(space < 0 ? text : text.substring(0, space)));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // a line that starts with a number, not an instant
    }
  }

  /** Up to {@code max} last lines of the file's first {@code end} bytes. */
  static List<String> tailLines(Path file, int max, long end) throws IOException {
    if (max <= 0 || end <= 0) {
      return List.of();
    }
    long start = end;
    byte[] window = new byte[0];
    // One newline more than lines wanted: the window's first line may begin before the window.
    while (start > 0 && countNewlines(window) <= max) {
      int size = (int) Math.min(CHUNK_BYTES, start);
      start -= size;
      byte[] chunk = read(file, start, size);
      byte[] joined = new byte[chunk.length + window.length];
      System.arraycopy(chunk, 0, joined, 0, chunk.length);
      System.arraycopy(window, 0, joined, chunk.length, window.length);
      window = joined;
    }
    List<String> lines = new ArrayList<>(new String(window, StandardCharsets.UTF_8).lines().toList());
    if (start > 0 && !lines.isEmpty()) {
      lines.remove(0);
    }
    return lines.subList(Math.max(0, lines.size() - max), lines.size());
  }

  private static byte[] read(Path file, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(0, length));
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      channel.position(position);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // reads until the buffer is full or the file ends
      }
    }
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  private static int countNewlines(byte[] bytes) {
    int count = 0;
    for (byte b : bytes) {
      count += b == '\n' ? 1 : 0;
    }
    return count;
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
