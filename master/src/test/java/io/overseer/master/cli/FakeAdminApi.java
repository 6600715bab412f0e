package io.overseer.master.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the master's admin API on 127.0.0.1, served by the JDK's HttpServer, with an
 * OVERSEER_HOME that points the CLI at it: the pid file names this test JVM (alive, and started
 * before the file was written, as a master is). It lets the CLI's mapping of answers to exit codes
 * be tested in milliseconds; the real master is exercised by the end-to-end tests (CliIT).
 */
final class FakeAdminApi implements AutoCloseable {
  static final String TOKEN = "test-token";

  /** A request as received: method, path and body. */
  record Received(String method, String path, String body) {}

  /** A canned answer. */
  record Reply(int status, String body) {}

  final Path home;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeAdminApi(Path home) throws IOException {
    this.home = home;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    Files.createDirectories(home);
    Files.writeString(home.resolve(CliHome.PID_FILE), ProcessHandle.current().pid() + "\n");
    Files.writeString(home.resolve(CliHome.TOKEN_FILE), TOKEN + "\n");
    Files.writeString(
        home.resolve(CliHome.URL_FILE), "http://127.0.0.1:" + server.getAddress().getPort() + "\n");
  }

  /** Answers {@code method path} with this status and body from now on. */
  FakeAdminApi reply(String method, String path, int status, String body) {
    replies.put(method + " " + path, new Reply(status, body));
    return this;
  }

  /** The environment for the CLI: this home, nothing else. */
  Map<String, String> env() {
    return Map.of("OVERSEER_HOME", home.toString());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getRawPath();
    received.add(new Received(exchange.getRequestMethod(), path, body));
    Reply reply;
    if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      reply = new Reply(401, "{\"error\":\"invalid admin token\"}");
    } else {
      reply =
          replies.getOrDefault(
              exchange.getRequestMethod() + " " + path,
              new Reply(404, "{\"error\":\"not found\",\"path\":\"" + path + "\"}"));
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
