package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.UpstreamException;
import io.overseer.protocol.logging.RequestLog;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a declarative route's upstream calls: each starts as soon as the upstreams its templates
 * read have answered, so independent calls run in parallel. The outcome is the transform input
 * {@code {"path":…,"query":…,"body":…,"<upstream>":…,"partial":[…]}}, or the first failure of a
 * required upstream, reported as soon as it happens rather than after the slowest call.
 */
final class RouteRunner {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final UpstreamClient client;
  private final JsonCodec json;
  private static final String REQUEST_ID = RequestLog.HEADER.toLowerCase(Locale.ROOT);

  private final Set<String> forwardHeaders;

  RouteRunner(UpstreamClient client, JsonCodec json, Set<String> forwardHeaders) {
    this.client = client;
    this.json = json;
    this.forwardHeaders = forwardHeaders;
  }

  /**
   * Completes with the transform input, or exceptionally with the {@link UpstreamException} of a
   * required call.
   */
  CompletableFuture<ObjectNode> gather(
      RouteDefinition route, BffRequest request, Instant deadline) {
    Map<String, JsonNode> roots = new ConcurrentHashMap<>(requestRoots(request));
    Map<String, String> headers = forwarded(request);
    // Concurrent: calls that wait for nothing may already run (and read this map) while the loop
    // fills it.
    Map<String, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    CompletableFuture<ObjectNode> result = new CompletableFuture<>();
    // Dependencies come first in route.upstreams(), so every future a call waits for already
    // exists.
    for (UpstreamDefinition up : route.upstreams()) {
      CompletableFuture<?>[] dependencies =
          up.dependencies().stream().map(calls::get).toArray(CompletableFuture<?>[]::new);
      CompletableFuture<JsonNode> call =
          CompletableFuture.allOf(dependencies)
              .handle((ignored, error) -> error)
              // Starting a call renders its URL and hands it to an upstream thread: cheap enough
              // for whichever thread gets here (the worker's, or the one that ended a dependency),
              // and a hand-off to another thread first cost more than the work.
              .thenCompose(ignored -> start(up, calls, roots, headers, deadline))
              .whenComplete(
                  (node, error) -> {
                    if (error == null) {
                      roots.put(up.name(), node);
                    } else if (up.required()) {
                      UpstreamException failure = UpstreamHttp.classify(up.name(), error);
                      result.completeExceptionally(
                          up.passStatuses().contains(failure.status())
                              ? UpstreamFailure.passedThrough(failure)
                              : failure);
                    }
                  });
      calls.put(up.name(), call);
    }
    CompletableFuture.allOf(calls.values().toArray(CompletableFuture<?>[]::new))
        .whenComplete((ignored, error) -> result.complete(input(route, roots, calls)));
    return result;
  }

  private CompletableFuture<JsonNode> start(
      UpstreamDefinition up,
      Map<String, CompletableFuture<JsonNode>> calls,
      Map<String, JsonNode> roots,
      Map<String, String> headers,
      Instant deadline) {
    for (String dependency : up.dependencies()) {
      if (calls.get(dependency).isCompletedExceptionally()) {
        return CompletableFuture.failedFuture(
            new UpstreamException(up.name(), "dependency " + dependency + " failed"));
      }
    }
    try {
      URI uri = URI.create(up.url().render(up.name(), roots::get, Placeholders.URL));
      String body =
          up.body() == null
              ? null
              : up.body().render(up.name(), roots::get, Placeholders.JSON_STRING);
      return client.fetch(
          new UpstreamCall(
              up.name(),
              up.method(),
              uri,
              headers,
              body,
              up.timeout(),
              up.retries(),
              up.cacheTtl(),
              deadline));
    } catch (UpstreamException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new UpstreamException(up.name(), "invalid URL"));
    }
  }

  private ObjectNode input(
      RouteDefinition route,
      Map<String, JsonNode> roots,
      Map<String, CompletableFuture<JsonNode>> calls) {
    ObjectNode input = NODES.objectNode();
    for (String root : UpstreamDefinition.REQUEST_ROOTS) {
      input.set(root, roots.getOrDefault(root, NullNode.instance));
    }
    ArrayNode partial = input.putArray("partial");
    for (UpstreamDefinition up : route.upstreams()) {
      CompletableFuture<JsonNode> call = calls.get(up.name());
      if (call.isCompletedExceptionally()) {
        UpstreamException failure =
            call.handle((n, e) -> UpstreamHttp.classify(up.name(), e)).join();
        partial.addObject().put("upstream", failure.upstream()).put("cause", failure.reason());
        input.set(up.name(), NullNode.instance);
      } else {
        input.set(up.name(), roots.get(up.name()));
      }
    }
    return input;
  }

  /** path and query as JSON objects; the body as JSON when it parses, else as a string. */
  private Map<String, JsonNode> requestRoots(BffRequest request) {
    ObjectNode path = NODES.objectNode();
    request.pathParams().forEach(path::put);
    ObjectNode query = NODES.objectNode();
    request
        .query()
        .forEach(
            (name, values) -> {
              if (values.size() == 1) {
                query.put(name, values.get(0));
              } else {
                ArrayNode all = query.putArray(name);
                values.forEach(all::add);
              }
            });
    JsonNode body = json.parseOrNull(request.body());
    Map<String, JsonNode> roots = new HashMap<>();
    roots.put("path", path);
    roots.put("query", query);
    roots.put(
        "body",
        body != null
            ? body
            : request.body() != null ? TextNode.valueOf(request.body()) : NullNode.instance);
    return roots;
  }

  /**
   * Only allowlisted headers leave the worker: cookies and credentials stay at the edge. The
   * request id always goes (the edge's, set by the worker actor): it is what ties an upstream's
   * logs to the request.
   */
  Map<String, String> forwarded(BffRequest request) {
    Map<String, String> out = new HashMap<>();
    request
        .headers()
        .forEach(
            (name, value) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (forwardHeaders.contains(lower) || lower.equals(REQUEST_ID)) {
                out.put(lower, value);
              }
            });
    return Map.copyOf(out);
  }
}
