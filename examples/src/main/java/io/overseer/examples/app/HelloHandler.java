package io.overseer.examples.app;

import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffHandler;
import io.overseer.api.bff.BffResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The README's "Your code" walkthrough, as it is there (YourCodeIT keeps the two the same). */
public final class HelloHandler implements BffHandler {
  @Override
  public String name() {
    return "hello";
  }

  @Override
  public CompletionStage<BffResponse> handle(BffContext context) {
    String name = context.pathParams().get("name");
    String greeting = context.settings().getString("greeting");
    return CompletableFuture.completedFuture(
        BffResponse.json(200, "{\"message\":\"" + greeting + ", " + name + "\"}"));
  }
}
