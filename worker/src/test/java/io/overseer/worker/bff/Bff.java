package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test shorthand: engines from HOCON text, requests, and blocking on answers with a generous bound.
 */
final class Bff {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Bounds every wait in the tests; far above any timeout the test configs use. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private Bff() {}

  /** An engine from {@code overseer.bff { <hocon> }} on top of reference.conf. */
  static BffEngine engine(String bffBlock) {
    return engine(bffBlock, null);
  }

  static BffEngine engine(String bffBlock, Path configDirectory) {
    return BffEngine.create(
        ConfigFactory.parseString("overseer.bff {\n" + bffBlock + "\n}")
            .withFallback(ConfigFactory.defaultReference())
            .resolve(),
        configDirectory);
  }

  static BffRequest request(String route, Map<String, String> path) {
    return request(route, path, Map.of(), Map.of());
  }

  static BffRequest request(
      String route,
      Map<String, String> path,
      Map<String, List<String>> query,
      Map<String, String> headers) {
    return new BffRequest(route, path, query, headers, null, Instant.now().plus(PATIENCE));
  }

  static BffResponse call(BffEngine engine, BffRequest request) {
    try {
      return engine
          .handle(request)
          .toCompletableFuture()
          .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer for " + request, e);
    }
  }

  static JsonNode json(BffResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
