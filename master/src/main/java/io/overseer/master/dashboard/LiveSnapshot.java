package io.overseer.master.dashboard;

import io.overseer.master.metrics.RequestRates;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard and {@code overseer monit} show at one tick: every process of every host, its
 * app's state, and this tick's point of the charts. Serialized as JSON as it is.
 *
 * @param time when it was taken (ISO-8601)
 * @param intervalMillis how often a new one comes ({@code push-interval}): monit redraws at it
 * @param error why the processes are missing (the supervisors did not answer in time), else null
 * @param sample this tick's figures per app, appended to the charts
 */
public record LiveSnapshot(
    String time,
    long intervalMillis,
    List<Row> processes,
    List<AppRow> apps,
    String error,
    Sample sample) {

  /**
   * One process.
   *
   * @param reqPerSec requests answered per second lately (0 when the metrics saw none)
   * @param p99Millis their 99th percentile latency, null when there were none
   */
  public record Row(
      String id,
      String app,
      String host,
      Long pid,
      String state,
      long uptimeMillis,
      int restarts,
      double cpuPercent,
      long rssBytes,
      int inFlight,
      double reqPerSec,
      Double p99Millis) {}

  public record AppRow(String name, int instances, String state) {}

  /**
   * @param t epoch milliseconds
   * @param apps per app: its processes' figures summed
   */
  public record Sample(long t, Map<String, AppFigures> apps) {}

  /**
   * @param cpuPercent summed over the app's processes (200 = two cores' worth)
   */
  public record AppFigures(double reqPerSec, double cpuPercent, long rssBytes) {}

  /** The supervisors' views joined with the metrics' rates. */
  static LiveSnapshot of(
      List<AppView> apps, Map<String, RequestRates.Rate> rates, Instant now, long intervalMillis) {
    List<Row> rows = new ArrayList<>();
    List<AppRow> appRows = new ArrayList<>();
    Map<String, AppFigures> figures = new LinkedHashMap<>();
    for (AppView app : apps) {
      appRows.add(new AppRow(app.name(), app.instances(), app.state()));
      double appRate = 0;
      double appCpu = 0;
      long appRss = 0;
      for (ProcessView p : app.processes()) {
        RequestRates.Rate rate = rates.get(p.id());
        boolean running = p.pid() != null;
        double perSecond = rate == null ? 0 : rate.perSecond();
        Double p99 = rate == null || rate.p99Millis() < 0 ? null : rate.p99Millis();
        rows.add(
            new Row(
                p.id(),
                p.app(),
                p.host(),
                p.pid(),
                p.state(),
                running ? p.uptimeMillis() : 0,
                p.restarts(),
                p.cpuPercent(),
                p.rssBytes(),
                p.inFlight(),
                perSecond,
                p99));
        appRate += perSecond;
        appCpu += Math.max(0, p.cpuPercent());
        appRss += Math.max(0, p.rssBytes());
      }
      figures.put(app.name(), new AppFigures(appRate, appCpu, appRss));
    }
    return new LiveSnapshot(
        now.toString(),
        intervalMillis,
        rows,
        appRows,
        null,
        new Sample(now.toEpochMilli(), figures));
  }

  /** The supervisors did not answer: no rows, the reason shown, no point on the charts. */
  static LiveSnapshot failed(String error, Instant now, long intervalMillis) {
    return new LiveSnapshot(now.toString(), intervalMillis, List.of(), List.of(), error, null);
  }
}
