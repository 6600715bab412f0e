package io.overseer.master.metrics;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * {@code overseer.metrics}.
 *
 * @param enabled whether {@code /metrics} is served and anything is counted
 * @param requireToken whether a scrape needs the admin token
 * @param ratesWindow the window of the live per-process rates ({@link RequestRates})
 * @param latencyBuckets the upper bounds of the latency histograms' buckets, ascending
 */
public record MetricsSettings(
    boolean enabled, boolean requireToken, Duration ratesWindow, List<Duration> latencyBuckets) {

  public MetricsSettings {
    if (ratesWindow.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "overseer.metrics.rates-window must be at least 1s, got " + ratesWindow);
    }
    if (latencyBuckets.isEmpty()) {
      throw new IllegalArgumentException("overseer.metrics.latency-buckets must not be empty");
    }
    for (int i = 1; i < latencyBuckets.size(); i++) {
      if (latencyBuckets.get(i).compareTo(latencyBuckets.get(i - 1)) <= 0) {
        throw new IllegalArgumentException(
            "overseer.metrics.latency-buckets must be ascending, got " + latencyBuckets);
      }
    }
    latencyBuckets = List.copyOf(latencyBuckets);
  }

  /**
   * @param overseer the {@code overseer} section
   */
  public static MetricsSettings create(Config overseer) {
    Config m = overseer.getConfig("metrics");
    return new MetricsSettings(
        m.getBoolean("enabled"),
        m.getBoolean("require-token"),
        m.getDuration("rates-window"),
        m.getDurationList("latency-buckets"));
  }
}
