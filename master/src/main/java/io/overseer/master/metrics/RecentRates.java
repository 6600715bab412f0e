package io.overseer.master.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link RequestRates} over a sliding window of one-second buckets per worker process. Each bucket
 * counts its requests and sorts their latencies into a fixed log-scale histogram (each bound 25%
 * above the last, 1 ms to about 80 s), so the p99 is that close and the memory fixed whatever the
 * load: no sample is kept. Recording takes the worker's own lock for a few increments.
 */
final class RecentRates implements RequestRates {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final double FIRST_BOUND_MILLIS = 1;
  private static final double GROWTH = 1.25;
  private static final int BOUNDS = 52;

  private final int seconds;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param nanoClock {@code System::nanoTime}, or a manual clock in tests
   */
  RecentRates(Duration window, LongSupplier nanoClock) {
    this.seconds = (int) Math.max(1, window.toSeconds());
    this.nanoClock = nanoClock;
  }

  /** A request the worker answered, in {@code latencyNanos}. */
  void record(String workerId, long latencyNanos) {
    windows
        .computeIfAbsent(workerId, id -> new Window(seconds))
        .record(nanoClock.getAsLong() / NANOS_PER_SECOND, latencyNanos);
  }

  @Override
  public Map<String, Rate> byProcess() {
    long nowSecond = nanoClock.getAsLong() / NANOS_PER_SECOND;
    Map<String, Rate> rates = new HashMap<>();
    windows.forEach(
        (id, window) -> {
          Rate rate = window.rate(nowSecond);
          if (rate != null) {
            rates.put(id, rate);
          }
        });
    return rates;
  }

  /** The upper bound of histogram bucket {@code i}, in milliseconds. */
  static double boundMillis(int i) {
    return FIRST_BOUND_MILLIS * Math.pow(GROWTH, i);
  }

  static int bucketOf(long latencyNanos) {
    double millis = latencyNanos / 1e6;
    if (millis <= FIRST_BOUND_MILLIS) {
      return 0;
    }
    int i = (int) Math.ceil(Math.log(millis / FIRST_BOUND_MILLIS) / Math.log(GROWTH));
    return Math.min(i, BOUNDS - 1);
  }

  /** One worker's ring of one-second buckets; {@code second[i]} says which second slot i holds. */
  private static final class Window {
    private final long[] second;
    private final long[] count;
    private final long[][] histogram;

    Window(int seconds) {
      second = new long[seconds];
      count = new long[seconds];
      histogram = new long[seconds][BOUNDS];
      java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    synchronized void record(long nowSecond, long latencyNanos) {
      int slot = (int) Math.floorMod(nowSecond, (long) second.length);
      if (second[slot] != nowSecond) {
        second[slot] = nowSecond;
        count[slot] = 0;
        java.util.Arrays.fill(histogram[slot], 0);
      }
      count[slot]++;
      histogram[slot][bucketOf(latencyNanos)]++;
    }

    /** Over the last full seconds of the window and the current one; null if none had any. */
    synchronized Rate rate(long nowSecond) {
      long total = 0;
      long[] merged = new long[BOUNDS];
      for (int slot = 0; slot < second.length; slot++) {
        if (nowSecond - second[slot] < second.length) {
          total += count[slot];
          for (int b = 0; b < BOUNDS; b++) {
            merged[b] += histogram[slot][b];
          }
        }
      }
      if (total == 0) {
        return null;
      }
      long rank = (long) Math.ceil(total * 0.99);
      long seen = 0;
      double p99 = boundMillis(BOUNDS - 1);
      for (int b = 0; b < BOUNDS; b++) {
        seen += merged[b];
        if (seen >= rank) {
          p99 = boundMillis(b);
          break;
        }
      }
      return new Rate((double) total / second.length, p99);
    }
  }
}
