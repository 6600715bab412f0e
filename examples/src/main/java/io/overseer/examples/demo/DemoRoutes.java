package io.overseer.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo backend's endpoints; every answer, errors included, is JSON. */
final class DemoRoutes implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(DemoRoutes.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Decimal digits only, and few enough to fit an int: anything else is a malformed id. */
  private static final Pattern ID = Pattern.compile("[0-9]{1,9}");

  private static final String FLAKY = "/flaky";

  private final DemoOptions options;
  private final ScheduledExecutorService timer;
  private final InFlight inFlight;
  private final AtomicLong flakyRequests = new AtomicLong();

  DemoRoutes(DemoOptions options, ScheduledExecutorService timer, InFlight inFlight) {
    this.options = options;
    this.timer = timer;
    this.inFlight = inFlight;
  }

  @Override
  public void handle(HttpExchange exchange) {
    if (!inFlight.begin()) {
      // Stopping: tell keep-alive clients to go elsewhere instead of queueing behind the drain.
      exchange.getResponseHeaders().set("Connection", "close");
      answer(exchange, 503, error("stopping"));
      return;
    }
    try {
      route(exchange);
    } catch (RuntimeException e) {
      log.error("failed to answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      answer(exchange, 500, error("internal error"));
    }
  }

  private void route(HttpExchange exchange) {
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      answer(exchange, 405, error("method not allowed"));
      return;
    }
    String path = exchange.getRequestURI().getRawPath();
    if (path.startsWith(FLAKY + "/")) {
      long n = flakyRequests.incrementAndGet();
      if (options.flakyEvery() > 0 && n % options.flakyEvery() == 0) {
        answer(
            exchange,
            500,
            error("deliberate failure").put("request", n).put("every", options.flakyEvery()));
        return;
      }
      path = path.substring(FLAKY.length());
    }
    String[] segments = path.split("/", -1); // "/products/1" -> "", "products", "1"
    String resource = segments.length > 1 ? segments[1] : "";
    switch (resource) {
      case "products" -> byId(exchange, segments, DemoCatalog::product);
      case "inventory" -> byId(exchange, segments, DemoCatalog::inventory);
      case "sellers" -> byId(exchange, segments, DemoCatalog::seller);
      case "reviews" -> reviews(exchange, segments);
      default -> answer(exchange, 404, error("no such endpoint").put("path", path));
    }
  }

  private void byId(
      HttpExchange exchange, String[] segments, IntFunction<Optional<JsonNode>> lookup) {
    String expected = "/" + segments[1] + "/{id}";
    if (segments.length != 3 || !ID.matcher(segments[2]).matches()) {
      answer(exchange, 400, malformedPath(exchange, expected));
      return;
    }
    int id = Integer.parseInt(segments[2]);
    answerFound(exchange, lookup.apply(id), segments[1], id);
  }

  /**
   * The slow one: answered after the configured delay, without holding a handler thread meanwhile.
   */
  private void reviews(HttpExchange exchange, String[] segments) {
    if (segments.length != 2) {
      answer(exchange, 400, malformedPath(exchange, "/reviews?product={id}"));
      return;
    }
    Map<String, String> query;
    try {
      query = queryOf(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      answer(exchange, 400, error("malformed query").put("problem", e.getMessage()));
      return;
    }
    String product = query.get("product");
    if (product == null || !ID.matcher(product).matches()) {
      answer(
          exchange,
          400,
          error("invalid parameter")
              .put("parameter", "product")
              .put("problem", product == null ? "missing" : "not an id: '" + product + "'"));
      return;
    }
    int id = Integer.parseInt(product);
    try {
      timer.schedule(
          () -> answerFound(exchange, DemoCatalog.reviews(id), "products", id),
          options.reviewsDelay().toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      answer(exchange, 503, error("stopping"));
    }
  }

  private void answerFound(HttpExchange exchange, Optional<JsonNode> found, String what, int id) {
    found.ifPresentOrElse(
        body -> answer(exchange, 200, body),
        () -> answer(exchange, 404, error("not found").put("resource", what).put("id", id)));
  }

  /** Writes the answer and ends the request; a client that went away is not an error of ours. */
  private void answer(HttpExchange exchange, int status, JsonNode body) {
    try {
      byte[] bytes = MAPPER.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (JsonProcessingException e) {
      log.error("cannot write the answer to {}", exchange.getRequestURI(), e);
    } catch (IOException e) {
      log.debug("client gone before the answer to {}: {}", exchange.getRequestURI(), e.toString());
    } finally {
      exchange.close();
      inFlight.end();
    }
  }

  private static ObjectNode malformedPath(HttpExchange exchange, String expected) {
    return error("malformed path")
        .put("path", exchange.getRequestURI().getRawPath())
        .put("expected", expected);
  }

  private static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  /** Decoded {@code name=value} pairs; the first of a repeated name wins. */
  private static Map<String, String> queryOf(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(name, value);
    }
    return query;
  }
}
