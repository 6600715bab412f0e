package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.UpstreamException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single attempts of upstream calls: the host's circuit breaker, then one exchange with a bounded
 * body (HttpURLConnection on an upstream thread, or java.net.http for the methods it lacks), then
 * JSON under the depth limit. Every failure leaves here as an {@link UpstreamException} with its
 * cause.
 */
final class UpstreamHttp {
  private final JsonCodec json;
  private final BffSettings settings;
  private final Executor executor;
  private final Executor blocking;
  private HttpClient asyncClient;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  /**
   * @param executor the engine's threads: java.net.http's, for the methods sent through it
   * @param blocking the upstream threads, each waiting on one call's socket
   */
  UpstreamHttp(JsonCodec json, BffSettings settings, Executor executor, Executor blocking) {
    this.json = json;
    this.settings = settings;
    this.executor = executor;
    this.blocking = blocking;
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
    requests.incrementAndGet();
    CompletableFuture<BlockingExchange.Answer> exchange =
        BlockingExchange.METHODS.contains(call.method())
            ? sendBlocking(call, limit)
            : sendAsync(call, limit);
    // Runs where the exchange ended (an upstream thread, or the timer on a timeout): classifying
    // and parsing here saves a hand-off to another thread per call.
    return exchange.handle(
        (answer, error) -> {
          UpstreamException failure = null;
          JsonNode node = null;
          if (error != null) {
            failure = classify(call.upstream(), error);
          } else if (answer.status() / 100 != 2) {
            failure = UpstreamFailure.badStatus(call.upstream(), answer.status());
          } else {
            try {
              node = json.parseUpstream(call.upstream(), answer.body());
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
        });
  }

  /** On an upstream thread, waiting on the socket (see {@link BlockingExchange} for why). */
  private CompletableFuture<BlockingExchange.Answer> sendBlocking(
      UpstreamCall call, Duration limit) {
    CompletableFuture<BlockingExchange.Answer> answer = new CompletableFuture<>();
    AtomicReference<HttpURLConnection> running = new AtomicReference<>();
    long maxSize = settings.limits().maxResponseSize();
    try {
      blocking.execute(
          () -> {
            if (answer.isDone()) {
              return; // its limit passed while it waited for a thread
            }
            try {
              answer.complete(BlockingExchange.exchange(call, limit, maxSize, running));
            } catch (IOException | RuntimeException e) {
              answer.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e); // the engine is closing
    }
    // The limit holds even while the thread waits on a socket: the timer fails the call and the
    // connection is dropped, which ends that wait.
    answer.orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
    answer.whenComplete(
        (done, error) -> {
          HttpURLConnection connection = running.get();
          if (error != null && connection != null) {
            connection.disconnect();
          }
        });
    return answer;
  }

  /** Through java.net.http, for the methods HttpURLConnection cannot send (PATCH). */
  private CompletableFuture<BlockingExchange.Answer> sendAsync(UpstreamCall call, Duration limit) {
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
    long maxSize = settings.limits().maxResponseSize();
    CompletableFuture<HttpResponse<byte[]>> send =
        asyncClient()
            .sendAsync(
                request.build(),
                info ->
                    info.statusCode() / 100 == 2
                        ? new LimitedBodySubscriber(
                            maxSize, info.headers().firstValueAsLong("content-length"))
                        // Non-2xx bodies are discarded unread: the status alone decides, and the
                        // connection is kept.
                        : HttpResponse.BodySubscribers.replacing(null));
    // HttpRequest.timeout stops at the response headers; this bound covers a body that trickles,
    // and cancelling the original future aborts the exchange instead of leaving it to run on.
    CompletableFuture<HttpResponse<byte[]>> bounded =
        send.copy().orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS);
    bounded.whenComplete(
        (response, error) -> {
          if (error != null) {
            send.cancel(true);
          }
        });
    return bounded.thenApply(r -> new BlockingExchange.Answer(r.statusCode(), r.body()));
  }

  /** Built on first use: most configurations never send a method HttpURLConnection lacks. */
  private synchronized HttpClient asyncClient() {
    if (asyncClient == null) {
      asyncClient =
          HttpClient.newBuilder()
              .executor(executor)
              // Backends behind a BFF speak plain HTTP/1.1; asking for h2c would add an Upgrade
              // dance to every call.
              .version(HttpClient.Version.HTTP_1_1)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return asyncClient;
  }

  /** The breaker of a host:port as a metric label; closed for a host not called yet. */
  String circuitState(String hostKey) {
    CircuitBreaker breaker = breakers.get(hostKey);
    return UpstreamMeter.label(breaker == null ? CircuitBreaker.State.CLOSED : breaker.state());
  }

  /** Maps what the HTTP clients throw to the documented causes. */
  static UpstreamException classify(String upstream, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UpstreamException e) {
        return UpstreamFailure.renamed(e, upstream);
      }
      if (t instanceof LimitedBodySubscriber.TooLarge) {
        return UpstreamFailure.tooLarge(upstream);
      }
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
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
