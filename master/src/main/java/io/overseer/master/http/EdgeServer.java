package io.overseer.master.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the edge, and the admin listener when there is one: the routes each is given, tried in
 * order, with every failure and rejection they leave answered by {@link EdgeErrors}, each request
 * and answer given its request id ({@link RequestIds}). On shutdown Pekko's coordinated shutdown
 * unbinds them first (no new connections), then lets requests in flight finish within the
 * configured drain time. A port that cannot be bound ends the master: running without its edge (or
 * without its admin API) would only look healthy.
 */
public final class EdgeServer {
  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

  private EdgeServer() {}

  /**
   * @param direct answers the hottest requests before the routes ({@code
   *     overseer.http.direct-compute}; {@link DirectAnswer#NONE} when off)
   * @param first the edge's routes, in order: the first that matches a request answers it
   * @return completed once the edge is bound; never completed if it could not be
   */
  public static CompletionStage<ServerBinding> start(
      ActorSystem<?> system,
      EdgeSettings settings,
      DirectAnswer direct,
      Route first,
      Route... more) {
    return bind(
        system,
        "edge",
        settings.host(),
        settings.port(),
        settings.shutdownDrain(),
        direct,
        Directives.concat(first, more));
  }

  /**
   * The admin API on a listener of its own ({@code overseer.admin.listener}).
   *
   * @param routes {@code /_admin/...} and {@code /health}
   */
  public static CompletionStage<ServerBinding> startAdmin(
      ActorSystem<?> system, AdminSettings.Listener listener, EdgeSettings settings, Route routes) {
    return bind(
        system,
        "admin listener",
        listener.host(),
        listener.port(),
        settings.shutdownDrain(),
        DirectAnswer.NONE,
        routes);
  }

  private static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system,
      String name,
      String host,
      int port,
      Duration drain,
      DirectAnswer direct,
      Route routes) {
    CompletableFuture<ServerBinding> bound = new CompletableFuture<>();
    RequestIds ids = RequestIds.create(system.settings().config());
    Http.get(system)
        .newServerAt(host, port)
        .bind(ids.handler(EdgeErrors.handled(routes), direct, system))
        .whenComplete(
            (binding, error) -> {
              if (error != null) {
                log.error(
                    "{} could not bind {}:{}: {}; stopping", name, host, port, error.getMessage());
                system.terminate();
                return;
              }
              binding.addToCoordinatedShutdown(drain, system);
              var address = binding.localAddress();
              log.info(
                  "{} listening on http://{}:{}", name, address.getHostString(), address.getPort());
              bound.complete(binding);
            });
    return bound;
  }
}
