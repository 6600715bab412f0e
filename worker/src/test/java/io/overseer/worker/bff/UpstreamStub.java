package io.overseer.worker.bff;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream HTTP server on 127.0.0.1 and a free port, answering per path and counting what it
 * receives, so that tests observe parallelism, retries, caching and breakers from the upstream's
 * side.
 */
final class UpstreamStub implements AutoCloseable {

  /**
   * What a path answers; chunked: sent without a Content-Length, so only the bytes tell its size.
   */
  record Reply(int status, String body, boolean chunked) {
    Reply(int status, String body) {
      this(status, body, false);
    }

    static Reply json(String body) {
      return new Reply(200, body);
    }
  }

  /** Computes a reply; may block (each request has its own thread). */
  @FunctionalInterface
  interface Answer {
    Reply answer(HttpExchange exchange) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<HttpExchange> seen = new CopyOnWriteArrayList<>();

  /** Opened at close, so that answers held by a test never outlive it. */
  final CountDownLatch closing = new CountDownLatch(1);

  private UpstreamStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // One thread per request: a held answer must not stop the next request from arriving.
    server.setExecutor(threads);
    server.start();
  }

  static UpstreamStub start() {
    try {
      return new UpstreamStub();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers requests to {@code path} and every path below it, any query. */
  UpstreamStub on(String path, Answer answer) {
    server.createContext(
        path,
        exchange -> {
          counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          seen.add(exchange);
          Reply reply;
          try {
            reply = answer.answer(exchange);
          } catch (Exception e) {
            reply = new Reply(599, "stub failed: " + e);
          }
          byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("content-type", "application/json");
          // Length 0 tells HttpServer to send chunked; -1 means no body at all.
          exchange.sendResponseHeaders(
              reply.status(), reply.chunked() ? 0 : bytes.length == 0 ? -1 : bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    return this;
  }

  /**
   * Answers {@code path} with a 200 whose chunked body never ends: one byte every {@code pause}
   * until the stub closes or the client hangs up. Each read gets a byte well within a read timeout;
   * only a limit on the whole exchange ends it.
   */
  UpstreamStub trickling(String path, java.time.Duration pause) {
    server.createContext(
        path,
        exchange -> {
          counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          exchange.getResponseHeaders().set("content-type", "application/json");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write('[');
            out.flush();
            while (!closing.await(pause.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
              out.write(' ');
              out.flush();
            }
          } catch (IOException | InterruptedException e) {
            // the client hung up: what this answer is for
          }
        });
    return this;
  }

  /** Answers {@code path} with a fixed JSON document. */
  UpstreamStub json(String path, String body) {
    return on(path, exchange -> Reply.json(body));
  }

  /** Requests received by the answer registered for {@code path}. */
  int count(String path) {
    AtomicInteger count = counts.get(path);
    return count == null ? 0 : count.get();
  }

  /** Every request received, in arrival order. */
  List<HttpExchange> seen() {
    return seen;
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
