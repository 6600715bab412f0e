package io.overseer.master.http;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the edge: the routes it is given, tried in order, with every failure and rejection they
 * leave answered by {@link EdgeErrors}. On shutdown Pekko's coordinated shutdown unbinds it first
 * (no new connections), then lets requests in flight finish within the configured drain time. A
 * port that cannot be bound ends the master: running without its edge would only look healthy.
 */
public final class EdgeServer {
  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

  private EdgeServer() {}

  /**
   * @param first the edge's routes, in order: the first that matches a request answers it
   */
  public static void start(
      ActorSystem<?> system, EdgeSettings settings, Route first, Route... more) {
    Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .bind(EdgeErrors.handled(Directives.concat(first, more)))
        .whenComplete(
            (binding, error) -> {
              if (error != null) {
                log.error(
                    "edge could not bind {}:{}: {}; stopping",
                    settings.host(),
                    settings.port(),
                    error.getMessage());
                system.terminate();
                return;
              }
              onBound(system, binding, settings);
            });
  }

  private static void onBound(ActorSystem<?> system, ServerBinding binding, EdgeSettings settings) {
    binding.addToCoordinatedShutdown(settings.shutdownDrain(), system);
    var address = binding.localAddress();
    log.info("edge listening on http://{}:{}", address.getHostString(), address.getPort());
  }
}
