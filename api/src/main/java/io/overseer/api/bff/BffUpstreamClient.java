package io.overseer.api.bff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * Upstream calls for a {@link BffHandler}, under the same rules as declarative routes: allowlisted
 * headers forwarded, {@code limits.default-timeout} per attempt bounded by the deadline, {@code
 * limits.max-retries}, response size and JSON depth limits, the host's circuit breaker, the route's
 * {@code cache-ttl}, and coalescing of identical calls in flight.
 *
 * <pre>{@code
 * CompletionStage<JsonNode> user = context.upstream().getJson("http://127.0.0.1:9000/users/7");
 * CompletionStage<JsonNode> orders = context.upstream().getJson("http://127.0.0.1:9000/orders?user=7");
 * return user.thenCombine(orders, (u, o) -> BffResponse.json(200, merge(u, o)));
 * }</pre>
 */
public interface BffUpstreamClient {

  /**
   * GETs a JSON document. Fails with an {@link UpstreamException} named after the URL's {@code
   * host:port}. The returned tree is the caller's own copy.
   */
  CompletionStage<JsonNode> getJson(String url);
}
