package io.overseer.master.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import io.overseer.protocol.MasterProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Every process's figures as {@code /_admin/status} shows them (every host's: the agent desk
 * gathers them), copied into the registry at each scrape: state, restarts, memory, CPU, GC time,
 * uptime, requests in flight, and the workers' own counts (BFF upstreams, messages their listeners
 * dropped). A process that is gone loses its series at the next scrape. Labels: app, process id
 * ({@code web-0}, {@code web-0@h2}) and host; never the pid, which changes with every restart.
 */
final class ProcessMetrics {
  private record Figure(String name, String description, ToDoubleFunction<ProcessView> value) {}

  private static final List<Figure> FIGURES =
      List.of(
          new Figure(
              "overseer.process.resident.memory.bytes",
              "Resident set size (-1: unknown)",
              p -> p.rssBytes()),
          new Figure(
              "overseer.process.heap.used.bytes",
              "JVM heap in use (workers)",
              p -> p.heapUsedBytes()),
          new Figure(
              "overseer.process.heap.max.bytes",
              "JVM heap maximum (workers)",
              p -> p.heapMaxBytes()),
          new Figure(
              "overseer.process.cpu.usage.ratio",
              "CPU used since the last sample, 1 = one core",
              p -> p.cpuPercent() / 100),
          new Figure(
              "overseer.process.uptime.seconds",
              "Time since the process started",
              p -> p.uptimeMillis() / 1000.0),
          new Figure(
              "overseer.process.requests.in.flight",
              "Requests the worker says it is running",
              p -> p.inFlight()));

  private final Map<Figure, MultiGauge> gauges = new HashMap<>();
  private final MultiGauge states;
  private final MultiGauge circuits;
  private final SnapshotCounters restarts;
  private final SnapshotCounters gcTime;
  private final SnapshotCounters upstreamCalls;
  private final SnapshotCounters upstreamCacheHits;
  private final SnapshotCounters upstreamFailures;
  private final SnapshotCounters droppedMessages;

  ProcessMetrics(MeterRegistry registry) {
    for (Figure figure : FIGURES) {
      gauges.put(
          figure,
          MultiGauge.builder(figure.name()).description(figure.description()).register(registry));
    }
    states =
        MultiGauge.builder("overseer.process.state")
            .description("1 for the process's current state (online, launching, errored, ...)")
            .register(registry);
    circuits =
        MultiGauge.builder("overseer.upstream.circuit.state")
            .description("1 for the state of the upstream's circuit breaker in the worker")
            .register(registry);
    restarts =
        new SnapshotCounters(
            "overseer.process.restarts", "Times the instance was started again", registry);
    gcTime =
        new SnapshotCounters(
            "overseer.process.gc.pause.seconds",
            "Time the worker's JVM spent in garbage collection",
            registry);
    upstreamCalls =
        new SnapshotCounters(
            "overseer.upstream.calls",
            "Calls of the upstream by the worker's BFF routes",
            registry);
    upstreamCacheHits =
        new SnapshotCounters(
            "overseer.upstream.cache.hits", "Upstream calls answered from the cache", registry);
    upstreamFailures =
        new SnapshotCounters(
            "overseer.upstream.failures",
            "Upstream calls that failed after their retries, by cause",
            registry);
    droppedMessages =
        new SnapshotCounters(
            "overseer.messages.dropped",
            "Messages the worker's listeners never got: their lane was full, by kind",
            registry);
  }

  /** Called by one scrape at a time, with the processes of every host. */
  synchronized void update(List<AppView> apps) {
    List<ProcessView> processes = apps.stream().flatMap(a -> a.processes().stream()).toList();
    for (Figure figure : FIGURES) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (ProcessView process : processes) {
        rows.add(MultiGauge.Row.of(tags(process), figure.value().applyAsDouble(process)));
      }
      gauges.get(figure).register(rows, true);
    }
    List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
    List<MultiGauge.Row<?>> circuitRows = new ArrayList<>();
    Map<Tags, Double> restartCounts = SnapshotCounters.values();
    Map<Tags, Double> gcSeconds = SnapshotCounters.values();
    Map<Tags, Double> calls = SnapshotCounters.values();
    Map<Tags, Double> cacheHits = SnapshotCounters.values();
    Map<Tags, Double> failures = SnapshotCounters.values();
    Map<Tags, Double> dropped = SnapshotCounters.values();
    for (ProcessView process : processes) {
      Tags tags = tags(process);
      stateRows.add(
          MultiGauge.Row.of(tags.and("state", process.state().toLowerCase(Locale.ROOT)), 1));
      restartCounts.put(tags, (double) process.restarts());
      MasterProtocol.WorkerFigures figures =
          process.figures() == null ? MasterProtocol.WorkerFigures.NONE : process.figures();
      if (figures.gcMillis() >= 0) {
        gcSeconds.put(tags, figures.gcMillis() / 1000.0);
      }
      for (MasterProtocol.UpstreamFigures upstream : figures.upstreams()) {
        Tags of = tags.and("upstream", upstream.upstream());
        calls.put(of, (double) upstream.calls());
        cacheHits.put(of, (double) upstream.cacheHits());
        upstream.failures().forEach((cause, n) -> failures.put(of.and("cause", cause), (double) n));
        circuitRows.add(MultiGauge.Row.of(of.and("state", upstream.circuit()), 1));
      }
      if (figures.droppedMessages() != null) { // null from a worker older than the count
        figures
            .droppedMessages()
            .forEach((kind, n) -> dropped.put(tags.and("kind", kind), (double) n));
      }
    }
    states.register(stateRows, true);
    circuits.register(circuitRows, true);
    restarts.update(restartCounts);
    gcTime.update(gcSeconds);
    upstreamCalls.update(calls);
    upstreamCacheHits.update(cacheHits);
    upstreamFailures.update(failures);
    droppedMessages.update(dropped);
  }

  private static Tags tags(ProcessView process) {
    return Tags.of(
        "app",
        process.app(),
        "process",
        process.id(),
        "host",
        process.host() == null ? "" : process.host());
  }
}
