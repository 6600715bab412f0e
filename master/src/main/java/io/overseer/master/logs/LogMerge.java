package io.overseer.master.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Turns raw lines into {@link LogLine}s and interleaves several logs by time. */
final class LogMerge {
  private LogMerge() {}

  /**
   * Parses the timestamp prefix of each line; a line without one takes the time of the line before
   * it (a continuation, such as a stack trace printed in one write), the first {@code before}.
   */
  static List<LogLine> parse(String source, List<String> raw, Instant before) {
    List<LogLine> lines = new ArrayList<>(raw.size());
    Instant time = before;
    for (String line : raw) {
      Timestamps.Parsed parsed = Timestamps.parse(line);
      time = parsed.time().orElse(time);
      lines.add(new LogLine(time, source, parsed.text()));
    }
    return lines;
  }

  /**
   * Merges logs each already in file order: earliest time first, ties going to the earlier log in
   * {@code logs}. A log's own order is never changed, even where its clock went backwards.
   */
  static List<LogLine> byTime(List<List<LogLine>> logs) {
    record Head(int log, int index, Instant time) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(Comparator.comparing(Head::time).thenComparingInt(Head::log));
    int total = 0;
    for (int log = 0; log < logs.size(); log++) {
      total += logs.get(log).size();
      if (!logs.get(log).isEmpty()) {
        heads.add(new Head(log, 0, logs.get(log).get(0).time()));
      }
    }
    List<LogLine> merged = new ArrayList<>(total);
    while (!heads.isEmpty()) {
      Head head = heads.poll();
      List<LogLine> log = logs.get(head.log());
      merged.add(log.get(head.index()));
      int next = head.index() + 1;
      if (next < log.size()) {
        heads.add(new Head(head.log(), next, log.get(next).time()));
      }
    }
    return merged;
  }
}
