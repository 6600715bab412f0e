package io.overseer.master.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a host sends of its processes' logs when the master asks ({@code overseer logs} of an
 * agent's processes): the last lines, or those written after a {@link Cursor}, within {@link
 * RemoteLogSettings}' limits. Stateless: the cursor travels with the request and its answer, so a
 * host keeps nothing per reader and a reader that goes away costs nothing.
 */
public final class LogBatches {
  private LogBatches() {}

  /**
   * Where a reader stopped: the time of the last line it got, and how many lines of that very
   * millisecond it got (lines of one millisecond are told apart by their order).
   */
  public record Cursor(long timeMillis, int seen) {
    /** Before any line: everything is new. */
    public static final Cursor START = new Cursor(Long.MIN_VALUE, 0);
  }

  /**
   * @param lines in chronological order
   * @param next the cursor to send with the next request
   * @param leftOut lines that were new but did not fit the byte limit (the oldest ones)
   */
  public record Batch(List<LogLine> lines, Cursor next, int leftOut) {}

  /**
   * @param sources the logs to read, labelled ({@link LogSources#find})
   * @param lines without a cursor: how many of the last lines (at most {@code maxLines})
   * @param after null for the last lines; else the lines written after it (at most the last {@code
   *     maxLines} of the logs: older ones are not read)
   */
  public static Batch read(
      Map<String, Path> sources, int lines, Cursor after, RemoteLogSettings limits)
      throws IOException {
    List<LogLine> window = LogReader.lastLines(sources, limits.maxLines());
    List<LogLine> picked =
        after == null
            ? window.subList(
                Math.max(0, window.size() - Math.min(lines, limits.maxLines())), window.size())
            : after(window, after);
    Cursor next = window.isEmpty() ? (after == null ? Cursor.START : after) : endOf(window);
    return fit(picked, next, limits.maxBytes());
  }

  private static List<LogLine> after(List<LogLine> window, Cursor cursor) {
    List<LogLine> picked = new ArrayList<>();
    int atCursorTime = 0;
    for (LogLine line : window) {
      long time = line.time().toEpochMilli();
      if (time > cursor.timeMillis()) {
        picked.add(line);
      } else if (time == cursor.timeMillis() && atCursorTime++ >= cursor.seen()) {
        picked.add(line);
      }
    }
    return picked;
  }

  private static Cursor endOf(List<LogLine> window) {
    long last = window.get(window.size() - 1).time().toEpochMilli();
    int seen = (int) window.stream().filter(l -> l.time().toEpochMilli() == last).count();
    return new Cursor(last, seen);
  }

  /** The newest lines whose text fits {@code maxBytes}; a single longer line is cut. */
  private static Batch fit(List<LogLine> lines, Cursor next, int maxBytes) {
    List<LogLine> kept = new ArrayList<>();
    long bytes = 0;
    for (int i = lines.size() - 1; i >= 0; i--) {
      LogLine line = lines.get(i);
      int size = size(line);
      if (bytes + size > maxBytes) {
        if (kept.isEmpty()) {
          kept.add(cut(line, maxBytes));
          i--;
        }
        int leftOut = i + 1;
        return new Batch(reversed(kept), next, leftOut);
      }
      bytes += size;
      kept.add(line);
    }
    return new Batch(reversed(kept), next, 0);
  }

  private static int size(LogLine line) {
    return line.text().getBytes(StandardCharsets.UTF_8).length + line.source().length();
  }

  private static LogLine cut(LogLine line, int maxBytes) {
    int chars = Math.max(0, Math.min(line.text().length(), maxBytes / 4 - line.source().length()));
    return new LogLine(line.time(), line.source(), line.text().substring(0, chars));
  }

  private static List<LogLine> reversed(List<LogLine> newestFirst) {
    List<LogLine> lines = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(lines);
    return List.copyOf(lines);
  }
}
