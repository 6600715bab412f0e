package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffHandler;
import io.overseer.api.bff.BffResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Test handlers, registered in {@code META-INF/services/io.overseer.worker.bff.BffHandler} of the
 * test resources: a handler that calls an upstream and reshapes its answer in Java, one that never
 * answers and one that throws.
 */
public final class ProfileTestHandler implements BffHandler {

  @Override
  public String name() {
    return "test-profile";
  }

  @Override
  public CompletionStage<BffResponse> handle(BffContext context) {
    String url = context.settings().getString("profile-url") + "/" + context.pathParams().get("id");
    context.logger().info("fetching profile: url={}", url);
    return context
        .upstream()
        .getJson(url)
        .thenApply(
            profile -> {
              // On the HTTP client's thread, after the handler's first step has returned.
              context.logger().info("profile fetched: thread={}", Thread.currentThread().getName());
              ObjectNode out = Bff.JSON.createObjectNode();
              out.put("id", context.pathParams().get("id"));
              out.put(
                  "displayName",
                  profile.path("first").asText() + " " + profile.path("last").asText());
              out.put("lang", context.query().getOrDefault("lang", List.of("en")).get(0));
              out.put("requestId", context.request().header("x-request-id"));
              out.put("deadlineKnown", context.deadline() != null);
              return BffResponse.json(200, out.toString());
            });
  }

  /** Never answers: the engine must answer 504 at the deadline. */
  public static final class Stalled implements BffHandler {
    @Override
    public String name() {
      return "test-stalled";
    }

    @Override
    public CompletionStage<BffResponse> handle(BffContext context) {
      return new CompletableFuture<>();
    }
  }

  /** Throws: the engine must answer 500, not fail the caller's future. */
  public static final class Failing implements BffHandler {
    @Override
    public String name() {
      return "test-failing";
    }

    @Override
    public CompletionStage<BffResponse> handle(BffContext context) {
      throw new IllegalStateException("handler bug");
    }
  }
}
