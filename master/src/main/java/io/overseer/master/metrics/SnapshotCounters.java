package io.overseer.master.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;

/**
 * Counters whose totals are kept elsewhere (a supervisor's restart count, a worker's own counts
 * sent with its pongs) and copied in at each scrape: one Prometheus counter per label set, gone
 * when its label set is no longer reported. A worker's counts start again with its process, which
 * Prometheus reads as a counter reset, as it should.
 */
final class SnapshotCounters {
  private final String name;
  private final String description;
  private final MeterRegistry registry;
  private final Map<Tags, FunctionCounter> counters = new HashMap<>();
  private volatile Map<Tags, Double> values = Map.of();

  SnapshotCounters(String name, String description, MeterRegistry registry) {
    this.name = name;
    this.description = description;
    this.registry = registry;
  }

  /** The totals now, by label set; called by one scrape at a time. */
  void update(Map<Tags, Double> latest) {
    values = Map.copyOf(latest);
    for (Tags tags : latest.keySet()) {
      counters.computeIfAbsent(
          tags,
          t ->
              FunctionCounter.builder(name, this, c -> c.values.getOrDefault(t, 0.0))
                  .description(description)
                  .tags(t)
                  .register(registry));
    }
    counters
        .entrySet()
        .removeIf(
            entry -> {
              boolean gone = !latest.containsKey(entry.getKey());
              if (gone) {
                registry.remove(entry.getValue());
              }
              return gone;
            });
  }

  /** An empty map to fill for {@link #update}. */
  static Map<Tags, Double> values() {
    return new HashMap<>();
  }
}
