package io.overseer.api.bff;

import java.util.concurrent.CompletionStage;

/**
 * A route in Java, for what configuration cannot say. Implementations are found with {@link
 * java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/io.overseer.api.bff.BffHandler} and name it in a route with {@code handler =
 * "<name>"}.
 *
 * <p>{@link #handle} runs on the engine's few client threads: it must not block. Call upstreams
 * through {@link BffContext#upstream()}, which honours the engine's limits, breakers and cache. An
 * {@link UpstreamException} that escapes becomes a 502 naming the upstream; any other failure a
 * 500.
 *
 * <pre>{@code
 * public final class Greeting implements BffHandler {
 *   public String name() { return "greeting"; }
 *
 *   public CompletionStage<BffResponse> handle(BffContext context) {
 *     return context.upstream().getJson("http://127.0.0.1:9000/users/" + context.pathParams().get("id"))
 *         .thenApply(user -> BffResponse.json(200, "{\"hello\":\"" + user.path("name").asText() + "\"}"));
 *   }
 * }
 * }</pre>
 */
public interface BffHandler {

  /** The name routes use; unique among the handlers on the class path. */
  String name();

  /** Answers one request. */
  CompletionStage<BffResponse> handle(BffContext context);
}
