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
 * {@code POST /api/announce} (conf/overseer.conf): broadcasts the JSON body to every process of the
 * app, this one included, where {@link AnnounceListener} logs it. A JSON array is sent element by
 * element, in order: each process gets them in that order.
 */
public final class AnnounceHandler implements BffHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "announce";
  }

  @Override
  public CompletionStage<BffResponse> handle(BffContext context) {
    ObjectNode answer = JSON.createObjectNode();
    try {
      JsonNode body = JSON.readTree(context.body());
      if (body == null || body.isMissingNode()) {
        throw new MessageRefused("send a JSON body");
      }
      int sent = 0;
      for (JsonNode message : body.isArray() ? body : java.util.List.of(body)) {
        context.messages().broadcast(message);
        sent++;
      }
      answer.put("broadcast", sent).put("by", context.messages().self());
      return CompletableFuture.completedFuture(BffResponse.json(202, answer.toString()));
    } catch (MessageRefused | java.io.IOException e) {
      answer.put("error", e.getMessage());
      return CompletableFuture.completedFuture(BffResponse.json(400, answer.toString()));
    }
  }
}
