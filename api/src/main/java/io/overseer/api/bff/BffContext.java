package io.overseer.api.bff;

import com.typesafe.config.Config;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What a {@link BffHandler} gets for one request.
 *
 * <pre>{@code
 * String id = context.pathParams().get("id");
 * String lang = context.query().getOrDefault("lang", List.of("en")).get(0);
 * String base = context.settings().getString("backend-url");
 * context.logger().debug("product {} in {}", id, lang);
 * return context.upstream().getJson(base + "/products/" + id + "?lang=" + lang)
 *     .thenApply(product -> BffResponse.json(200, product.toString()));
 * }</pre>
 */
public interface BffContext {

  /** The request as the edge matched it. */
  BffRequest request();

  /** Calls upstreams under the engine's limits; see {@link BffUpstreamClient}. */
  BffUpstreamClient upstream();

  /**
   * When the client stops waiting; the engine answers 504 if the handler has not answered by then.
   */
  Instant deadline();

  /**
   * A logger named after the handler ({@code io.overseer.worker.bff.handler.<name>}) whose lines
   * carry the request's id (MDC {@code requestId}) on whatever thread writes them, the HTTP
   * client's threads that run the handler's futures included.
   */
  Logger logger();

  /**
   * The route's {@code settings} block (empty if absent): handler options kept in configuration.
   */
  Config settings();

  /**
   * Sends messages to other processes: one by id, the whole app, or a topic's subscribers (see
   * {@link io.overseer.api.messaging.Messages}).
   */
  io.overseer.api.messaging.Messages messages();

  /** Shortcut for {@code request().pathParams()}. */
  default Map<String, String> pathParams() {
    return request().pathParams();
  }

  /** Shortcut for {@code request().query()}. */
  default Map<String, List<String>> query() {
    return request().query();
  }

  /** Shortcut for {@code request().headers()}. */
  default Map<String, String> headers() {
    return request().headers();
  }

  /** Shortcut for {@code request().body()}. */
  default String body() {
    return request().body();
  }
}
