package io.overseer.worker.bff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.schibsted.spt.data.jslt.JsltException;
import io.overseer.api.bff.BffResponse;
import io.overseer.api.bff.UpstreamException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a route becomes its HTTP answer here, in one place, with a JSON body naming what
 * failed ({@code {"error": ..., "route": ...}}), the worker's own refusals included.
 */
public final class BffResponses {
  private static final Logger log = LoggerFactory.getLogger(BffEngine.class);

  /** Writes only: the bodies here are small trees built in this class. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private BffResponses() {}

  /** 501: a worker started without a configuration (no {@code --config}) has no BFF routes. */
  public static BffResponse withoutRoutes(String route) {
    return error(501, "this worker has no BFF routes (start it with --config)", route);
  }

  /** 404: the edge sent a route this worker's configuration does not define. */
  static BffResponse unknownRoute(String route) {
    return error(404, "unknown route", route);
  }

  /** 503: the engine was closed (the worker is stopping or reloading). */
  static BffResponse closed(String route) {
    return error(503, "engine closed", route);
  }

  /** Maps a failed route: 502 for upstreams, 504 for the deadline, 500 for everything else. */
  static BffResponse failure(String route, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof UpstreamException e && e.passed()) {
      log.info(
          "upstream status passed on: route={} upstream={} status={}",
          route,
          e.upstream(),
          e.status());
      ObjectNode body = body("upstream answered " + e.status(), route);
      body.put("upstream", e.upstream()).put("cause", e.reason());
      return BffResponse.json(e.status(), write(body));
    }
    if (cause instanceof UpstreamException e) {
      log.warn("upstream failed: route={} upstream={} cause={}", route, e.upstream(), e.reason());
      ObjectNode body = body("upstream failed", route);
      body.put("upstream", e.upstream()).put("cause", e.reason());
      return BffResponse.json(502, write(body));
    }
    if (cause instanceof TimeoutException) {
      log.warn("deadline exceeded: route={}", route);
      return error(504, "deadline exceeded", route);
    }
    if (cause instanceof JsltException e) {
      log.error("transform failed: route={} reason={}", route, e.getMessage());
      return error(500, "transform failed", route);
    }
    log.error("route failed: route={}", route, cause);
    return error(500, "internal error", route);
  }

  private static BffResponse error(int status, String error, String route) {
    return BffResponse.json(status, write(body(error, route)));
  }

  private static String write(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serializes; this would be a Jackson bug, not bad data.
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode body(String error, String route) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", error).put("route", route);
    return body;
  }
}
