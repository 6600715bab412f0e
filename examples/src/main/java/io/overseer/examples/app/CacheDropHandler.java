package io.overseer.examples.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffHandler;
import io.overseer.api.bff.BffResponse;
import io.overseer.api.messaging.MessageRefused;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/cache/drop} (conf/overseer.conf): publishes the request's JSON body (or {@code
 * {}} without one) on the topic {@code cache}, so that every worker's {@link CacheListener} drops
 * its cache; answers 202 at once (delivery is not awaited).
 */
public final class CacheDropHandler implements BffHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "drop-cache";
  }

  @Override
  public CompletionStage<BffResponse> handle(BffContext context) {
    ObjectNode answer = JSON.createObjectNode();
    try {
      JsonNode body =
          context.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(context.body());
      context.messages().publish("cache", body);
      answer.put("published", "cache").put("by", context.messages().self());
      return CompletableFuture.completedFuture(BffResponse.json(202, answer.toString()));
    } catch (MessageRefused | java.io.IOException e) {
      answer.put("error", e.getMessage());
      return CompletableFuture.completedFuture(BffResponse.json(400, answer.toString()));
    }
  }
}
