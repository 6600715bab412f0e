package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.UpstreamException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single attempts of upstream calls: the host's circuit breaker, then java.net.http with a bounded
 * body, then JSON under the depth limit. Every failure leaves here as an {@link UpstreamException}
 * with its cause.
 */
final class UpstreamHttp {
  private final HttpClient http;
  private final JsonCodec json;
  private final BffSettings settings;
  private final Executor executor;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  UpstreamHttp(HttpClient http, JsonCodec json, BffSettings settings, Executor executor) {
    this.http = http;
    this.json = json;
    this.settings = settings;
    this.executor = executor;
  }

  /** HTTP requests actually sent, for stats and tests. */
  long requestsSent() {
    return requests.get();
  }

  CompletableFuture<JsonNode> attempt(UpstreamCall call) {
    // The breaker's call-timeout caps every attempt to its host, whatever a route asks for.
    Duration limit = min(min(call.timeout(), settings.breaker().callTimeout()), call.remaining());
    if (limit.isZero()) {
      return CompletableFuture.failedFuture(UpstreamFailure.timeout(call.upstream()));
    }
    CircuitBreaker breaker =
        breakers.computeIfAbsent(
            hostKey(call.uri()),
            host ->
                new CircuitBreaker(
                    host,
                    settings.breaker().maxFailures(),
                    settings.breaker().resetTimeout(),
                    System::nanoTime));
    if (!breaker.tryAcquire()) {
      return CompletableFuture.failedFuture(UpstreamFailure.circuitOpen(call.upstream()));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(limit)
            .method(
                call.method(),
                call.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(call.body()));
    if (call.body() != null) {
      request.header("content-type", "application/json");
    }
    request.header("accept", "application/json");
    call.headers().forEach(request::header);
    requests.incrementAndGet();
    long maxSize = settings.limits().maxResponseSize();
    CompletableFuture<HttpResponse<byte[]>> send =
        http.sendAsync(
            request.build(),
            info ->
                info.statusCode() / 100 == 2
                    ? new LimitedBodySubscriber(
                        maxSize, info.headers().firstValueAsLong("content-length"))
                    // Non-2xx bodies are discarded unread: the status alone decides, and the
                    // connection is kept.
                    : HttpResponse.BodySubscribers.replacing(null));
    // HttpRequest.timeout stops at the response headers; this bound covers a body that trickles,
    // and
    // cancelling the original future aborts the exchange instead of leaving it to run on.
    CompletableFuture<HttpResponse<byte[]>> bounded =
        send.copy().orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
    bounded.whenComplete(
        (response, error) -> {
          if (error != null) {
            send.cancel(true);
          }
        });
    return bounded.handleAsync(
        (response, error) -> {
          UpstreamException failure = null;
          JsonNode node = null;
          if (error != null) {
            failure = classify(call.upstream(), error);
          } else if (response.statusCode() / 100 != 2) {
            failure = UpstreamFailure.badStatus(call.upstream(), response.statusCode());
          } else {
            try {
              node = json.parseUpstream(call.upstream(), response.body());
            } catch (UpstreamException e) {
              failure = e;
            }
          }
          if (failure != null && UpstreamFailure.isHostFault(failure)) {
            breaker.onFailure();
          } else {
            breaker.onSuccess();
          }
          if (failure != null) {
            throw failure;
          }
          return node;
        },
        executor);
  }

  /** The breaker of a host:port as a metric label; closed for a host not called yet. */
  String circuitState(String hostKey) {
    CircuitBreaker breaker = breakers.get(hostKey);
    return UpstreamMeter.label(breaker == null ? CircuitBreaker.State.CLOSED : breaker.state());
  }

  /** Maps what java.net.http throws to the documented causes. */
  static UpstreamException classify(String upstream, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UpstreamException e) {
        return UpstreamFailure.renamed(e, upstream);
      }
      if (t instanceof LimitedBodySubscriber.TooLarge) {
        return UpstreamFailure.tooLarge(upstream);
      }
      if (t instanceof HttpTimeoutException
          || t instanceof TimeoutException
          || t instanceof CancellationException) {
        return UpstreamFailure.timeout(upstream);
      }
      if (t instanceof ConnectException) {
        return UpstreamFailure.refused(upstream);
      }
    }
    return UpstreamFailure.connectionFailed(upstream);
  }

  /** One breaker per host:port: every route calling a sick backend learns of it together. */
  static String hostKey(URI uri) {
    int port =
        uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return uri.getHost() + ":" + port;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
