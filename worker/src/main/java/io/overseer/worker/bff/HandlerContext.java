package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffUpstreamClient;
import io.overseer.api.bff.UpstreamException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/** The engine's {@link BffContext}: one per handler call. */
record HandlerContext(
    BffRequest request,
    Instant deadline,
    Logger logger,
    Config settings,
    BffUpstreamClient upstream,
    io.overseer.api.messaging.Messages messages)
    implements BffContext {

  /** The client a handler gets, bound to its request's headers, deadline and route cache TTL. */
  static BffUpstreamClient client(
      UpstreamClient client,
      BffSettings settings,
      RouteDefinition route,
      Map<String, String> forwarded,
      Instant deadline) {
    return url -> {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(new UpstreamException(url, "invalid URL"));
      }
      UpstreamCall call =
          new UpstreamCall(
              UpstreamHttp.hostKey(uri),
              "GET",
              uri,
              forwarded,
              null,
              settings.limits().defaultTimeout(),
              settings.limits().maxRetries(),
              route.handlerCacheTtl(),
              deadline);
      // Results may be shared with other requests through the cache: the handler gets its own copy
      // to change.
      return client.fetch(call).thenApply(JsonNode::deepCopy);
    };
  }
}
