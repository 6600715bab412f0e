package io.overseer.worker.bff;

import io.overseer.api.bff.UpstreamException;
import io.overseer.protocol.MasterProtocol;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The engine's counts per upstream (by its name in the routes' config): calls, cache hits and
 * failures by cause. They reach the master with the worker's pongs, which is where they are exposed
 * ({@code /metrics}); the worker serves no metrics of its own. Causes are a fixed set of labels,
 * never a handler's free text, so the master keeps a bounded number of series.
 */
final class UpstreamMeter {
  /** The engine's own failure reasons ({@link UpstreamFailure}), as metric labels. */
  private static final Map<String, String> CAUSES =
      Map.of(
          "timeout", "timeout",
          "connection refused", "connection_refused",
          "connection failed", "connection_failed",
          "malformed JSON", "malformed_json",
          "JSON too deep", "json_too_deep",
          "response too large", "response_too_large",
          "circuit open", "circuit_open");

  private static final class Figures {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong cacheHits = new AtomicLong();
    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    /** The host:port of its URL, whose circuit breaker it shares. */
    volatile String host;
  }

  private final Map<String, Figures> byUpstream = new ConcurrentHashMap<>();

  /** A route's call of the upstream at {@code host} (a host:port). */
  void called(String upstream, String host) {
    Figures figures = figures(upstream);
    figures.host = host;
    figures.calls.incrementAndGet();
  }

  void cacheHit(String upstream) {
    figures(upstream).cacheHits.incrementAndGet();
  }

  /** The call failed after its retries. */
  void failed(String upstream, UpstreamException failure) {
    figures(upstream)
        .failures
        .computeIfAbsent(cause(failure), c -> new AtomicLong())
        .incrementAndGet();
  }

  /**
   * @param circuitOf the state of a host's breaker, by host:port
   */
  List<MasterProtocol.UpstreamFigures> snapshot(Function<String, String> circuitOf) {
    return new TreeMap<>(byUpstream)
        .entrySet().stream()
            .map(
                entry -> {
                  Figures f = entry.getValue();
                  Map<String, Long> failures = new TreeMap<>();
                  f.failures.forEach((cause, count) -> failures.put(cause, count.get()));
                  return new MasterProtocol.UpstreamFigures(
                      entry.getKey(),
                      f.calls.get(),
                      f.cacheHits.get(),
                      failures,
                      f.host == null ? "closed" : circuitOf.apply(f.host));
                })
            .toList();
  }

  /** A bounded label: the engine's reasons, bad statuses by class, anything else "other". */
  static String cause(UpstreamException failure) {
    String reason = failure.reason() == null ? "" : failure.reason();
    if (reason.startsWith("bad status ")) {
      return failure.status() >= 500 ? "bad_status_5xx" : "bad_status_4xx";
    }
    return CAUSES.getOrDefault(reason, "other");
  }

  private Figures figures(String upstream) {
    return byUpstream.computeIfAbsent(upstream, name -> new Figures());
  }

  /** A breaker's state as a label: closed, open, half_open. */
  static String label(CircuitBreaker.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
