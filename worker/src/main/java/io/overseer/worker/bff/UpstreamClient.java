package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.UpstreamException;
import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Upstream calls as routes and handlers see them: cache, then coalescing of identical GETs in
 * flight, then attempts with retries. Results are shared between requests and must be treated as
 * read-only.
 */
final class UpstreamClient {
  private final UpstreamHttp http;
  private final ResultCache cache;
  private final Duration retryBackoff;
  private final Executor executor;
  private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicLong coalesced = new AtomicLong();
  private final UpstreamMeter meter = new UpstreamMeter();

  UpstreamClient(UpstreamHttp http, ResultCache cache, Duration retryBackoff, Executor executor) {
    this.http = http;
    this.cache = cache;
    this.retryBackoff = retryBackoff;
    this.executor = executor;
  }

  BffStats stats() {
    return new BffStats(
        http.requestsSent(), cacheHits.get(), coalesced.get(), inFlight.size(), cache.size());
  }

  /** Per upstream: calls, cache hits, failures by cause, and its host's breaker. */
  List<MasterProtocol.UpstreamFigures> upstreamFigures() {
    return meter.snapshot(http::circuitState);
  }

  /**
   * Fetches the call's JSON; fails with an {@link UpstreamException} named after {@code
   * call.upstream()}.
   */
  CompletableFuture<JsonNode> fetch(UpstreamCall call) {
    meter.called(call.upstream(), UpstreamHttp.hostKey(call.uri()));
    CompletableFuture<JsonNode> result = fetchCounted(call);
    result.whenComplete(
        (node, error) -> {
          if (error != null) {
            meter.failed(call.upstream(), UpstreamHttp.classify(call.upstream(), error));
          }
        });
    return result;
  }

  private CompletableFuture<JsonNode> fetchCounted(UpstreamCall call) {
    if (!call.isGet()) {
      return withRetries(call, call.retries());
    }
    String key = call.key();
    if (!call.cacheTtl().isZero()) {
      JsonNode hit = cache.get(key, call.cacheTtl());
      if (hit != null) {
        cacheHits.incrementAndGet();
        meter.cacheHit(call.upstream());
        return CompletableFuture.completedFuture(hit);
      }
    }
    CompletableFuture<JsonNode> mine = new CompletableFuture<>();
    CompletableFuture<JsonNode> shared = inFlight.putIfAbsent(key, mine);
    if (shared != null) {
      coalesced.incrementAndGet();
      return joined(shared, call);
    }
    withRetries(call, call.retries())
        .whenComplete(
            (node, error) -> {
              // Cached before it leaves the in-flight map, so a caller arriving in between finds
              // one or the other.
              if (error == null && !call.cacheTtl().isZero()) {
                cache.put(key, node);
              }
              inFlight.remove(key, mine);
              if (error == null) {
                mine.complete(node);
              } else {
                mine.completeExceptionally(error);
              }
            });
    return mine;
  }

  /**
   * A coalesced caller waits no longer than its own deadline and sees failures under its own name.
   */
  private CompletableFuture<JsonNode> joined(
      CompletableFuture<JsonNode> shared, UpstreamCall call) {
    long left = call.remaining().toNanos();
    return shared
        .copy()
        .orTimeout(Math.max(left, 1), TimeUnit.NANOSECONDS)
        .handle(
            (node, error) -> {
              if (error != null) {
                throw UpstreamHttp.classify(call.upstream(), error);
              }
              return node;
            });
  }

  private CompletableFuture<JsonNode> withRetries(UpstreamCall call, int retriesLeft) {
    return http.attempt(call)
        .handle(
            (node, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(node);
              }
              UpstreamException failure = UpstreamHttp.classify(call.upstream(), error);
              boolean timeLeft = call.remaining().compareTo(retryBackoff) > 0;
              if (retriesLeft > 0 && UpstreamFailure.isTransient(failure) && timeLeft) {
                Executor later =
                    CompletableFuture.delayedExecutor(
                        retryBackoff.toNanos(), TimeUnit.NANOSECONDS, executor);
                return CompletableFuture.supplyAsync(() -> call, later)
                    .thenCompose(c -> withRetries(c, retriesLeft - 1));
              }
              return CompletableFuture.<JsonNode>failedFuture(failure);
            })
        .thenCompose(Function.identity());
  }
}
