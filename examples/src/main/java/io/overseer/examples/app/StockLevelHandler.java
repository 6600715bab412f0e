package io.overseer.examples.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffHandler;
import io.overseer.api.bff.BffResponse;
import io.overseer.api.bff.UpstreamException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A route in Java (the walkthrough's handler): asks the demo backend for a product's inventory,
 * whose stock figures arrive as strings, and answers one word a shop page can show. The backend's
 * URL is the route's {@code settings.backend-url} in conf/overseer.conf.
 */
public final class StockLevelHandler implements BffHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** At or below this many available items the level is {@code low}. */
  private static final long LOW = 5;

  @Override
  public String name() {
    return "stock-level";
  }

  @Override
  public CompletionStage<BffResponse> handle(BffContext context) {
    String id = context.pathParams().get("id");
    String url = context.settings().getString("backend-url") + "/inventory/" + id;
    return context
        .upstream()
        .getJson(url)
        .handle(
            (inventory, failure) -> {
              if (failure == null) {
                return answer(id, inventory);
              }
              // An unknown product is the backend's 404: say so, instead of the engine's 502.
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof UpstreamException e && e.status() == 404) {
                ObjectNode body = JSON.createObjectNode().put("error", "no such product");
                return BffResponse.json(404, body.put("id", id).toString());
              }
              throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            });
  }

  private static BffResponse answer(String id, JsonNode inventory) {
    long available = inventory.path("stock").path("available").asLong(0);
    ObjectNode body = JSON.createObjectNode();
    body.put("id", Long.parseLong(id));
    body.put("available", available);
    body.put("level", available == 0 ? "out" : available <= LOW ? "low" : "ok");
    return BffResponse.json(200, body.toString());
  }
}
