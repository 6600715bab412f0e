package io.overseer.master.metrics;

import java.util.Map;

/**
 * The live request figures of each worker process, as the dashboard and {@code overseer monit} show
 * them next to the supervisors' view of the process (state, pid, CPU, memory, in flight). Kept by
 * the metrics; read by the dashboard's push feed about once a second, so an implementation answers
 * from what it already holds, without blocking.
 */
@FunctionalInterface
public interface RequestRates {

  /**
   * @return per process id (as in {@code /_admin/status}: {@code web-0}, {@code web-0@h2}), its
   *     figures over the last few seconds; a process that served nothing lately may be absent
   */
  Map<String, Rate> byProcess();

  /**
   * @param perSecond requests answered per second over the recent window
   * @param p99Millis the 99th percentile of their latency in milliseconds, or -1 when none
   */
  record Rate(double perSecond, double p99Millis) {}

  /** No figures: for a master without metrics, and for tests of the dashboard alone. */
  static RequestRates none() {
    return Map::of;
  }
}
