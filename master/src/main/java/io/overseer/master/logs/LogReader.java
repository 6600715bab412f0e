package io.overseer.master.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The last lines of one or several logs, each spread over a live file and its rotated copies. */
public final class LogReader {
  private LogReader() {}

  /**
   * The last {@code n} lines of all {@code sources} together, in chronological order. Each source
   * is read from its end, newest file first, only as far back as its own last {@code n} lines: a
   * large log costs no more than a small one.
   *
   * <p>Lines are merged by their timestamp prefix; equal times keep the iteration order of {@code
   * sources} (pass a {@link java.util.LinkedHashMap} for a fixed order). A line without prefix
   * takes the time of the line before it, or {@link Instant#EPOCH} when none was read.
   *
   * @param sources a label (such as {@code web-0/out}) for each live log file
   * @param n how many lines to return at most; 0 returns none
   */
  public static List<LogLine> lastLines(Map<String, Path> sources, int n) throws IOException {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    List<List<LogLine>> logs = new ArrayList<>(sources.size());
    for (Map.Entry<String, Path> source : sources.entrySet()) {
      logs.add(LogMerge.parse(source.getKey(), lastLinesOf(source.getValue(), n), Instant.EPOCH));
    }
    List<LogLine> merged = LogMerge.byTime(logs);
    return List.copyOf(merged.subList(Math.max(0, merged.size() - n), merged.size()));
  }

  /**
   * The live file and its rotated copies that exist, oldest first: {@code out.log.2}, {@code
   * out.log.1}, {@code out.log}.
   *
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public static List<Path> filesOf(Path liveFile) {
    List<Path> files;
    try {
      files = new ArrayList<>(RotatedCopies.existing(liveFile).descendingMap().values());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the rotated copies of " + liveFile, e);
    }
    if (Files.exists(liveFile)) {
      files.add(liveFile);
    }
    return files;
  }

  private static List<String> lastLinesOf(Path liveFile, int n) throws IOException {
    List<Path> files = filesOf(liveFile);
    List<List<String>> newestFirst = new ArrayList<>();
    int found = 0;
    for (int i = files.size() - 1; i >= 0 && found < n; i--) {
      List<String> lines = ReverseLines.lastLines(files.get(i), n - found);
      newestFirst.add(lines);
      found += lines.size();
    }
    List<String> lines = new ArrayList<>(found);
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      lines.addAll(newestFirst.get(i));
    }
    return lines;
  }
}
