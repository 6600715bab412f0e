package io.overseer.master.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A test upstream for BFF routes on a free loopback port: answers {@code {"path": ...}} to any GET
 * and records each request's {@code X-Request-Id} by path; a path under {@code /held/} is held
 * until {@link #release} (or 60 s), so that a test can look at requests while they are in flight.
 */
final class RecordingUpstream implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, List<String>> requestIds = new ConcurrentHashMap<>();
  private final List<String> held = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);

  RecordingUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.setExecutor(threads);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The X-Request-Id of every request to {@code path} so far, in order ("" for none). */
  List<String> requestIds(String path) {
    return List.copyOf(requestIds.getOrDefault(path, List.of()));
  }

  /** Requests under /held/ waiting for {@link #release}. */
  int heldNow() {
    return held.size();
  }

  void release() {
    release.countDown();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
    requestIds.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(id == null ? "" : id);
    if (path.startsWith("/held/")) {
      held.add(path);
      try {
        await(release);
      } finally {
        held.remove(path);
      }
    } else if (path.startsWith("/stuck/")) {
      await(closing);
    }
    byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release();
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
