package io.overseer.master.metrics;

import io.overseer.master.http.AdminToken;
import io.overseer.master.http.EdgeSettings;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: asks the agent desk for every host's processes (as {@code /_admin/status}
 * does), copies their figures into the registry, and answers the registry in the Prometheus text
 * format. Behind the admin token unless {@code overseer.metrics.require-token = off}.
 */
public final class MetricsRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(MetricsRoutes.class);

  /** The Prometheus text exposition format, version 0.0.4: what every Prometheus reads. */
  private static final ContentType TEXT_FORMAT =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final MasterMetrics metrics;
  private final AdminToken token;
  private final ActorRef<MasterProtocol.Command> desk;
  private final Duration askTimeout;
  private final Scheduler scheduler;
  private final Executor executor;

  /**
   * @param desk the agent desk, which answers {@link ProcessSupervisor.GetApps} for every host
   * @param askTimeout {@code overseer.admin.ask-timeout}
   * @param executor where the text is written: off the reply's thread, it takes a few milliseconds
   */
  public MetricsRoutes(
      MasterMetrics metrics,
      AdminToken token,
      ActorRef<MasterProtocol.Command> desk,
      Duration askTimeout,
      Scheduler scheduler,
      Executor executor) {
    this.metrics = metrics;
    this.token = token;
    this.desk = desk;
    this.askTimeout = askTimeout;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /**
   * {@code /metrics} of this master, or a route that matches nothing when the metrics are off.
   *
   * @param desk the agent desk, which answers {@link ProcessSupervisor.GetApps} for every host
   */
  public static Route route(
      Optional<MasterMetrics> metrics,
      EdgeSettings edge,
      ActorRef<MasterProtocol.Command> desk,
      ActorSystem<?> system) {
    return metrics
        .map(
            m ->
                new MetricsRoutes(
                        m,
                        new AdminToken(edge.adminToken()),
                        desk,
                        edge.adminAskTimeout(),
                        system.scheduler(),
                        system.executionContext())
                    .routes())
        .orElseGet(Directives::reject);
  }

  public Route routes() {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    optionalHeaderValueByName(
                        "Authorization",
                        header ->
                            !metrics.settings().requireToken() || token.accepts(header)
                                ? scrape()
                                : complete(AdminToken.refusal(header)))));
  }

  private Route scrape() {
    CompletionStage<List<AppView>> apps =
        AskPattern.ask(desk, ProcessSupervisor.GetApps::new, askTimeout, scheduler);
    return completeWithFuture(
        apps.handleAsync(
            (views, error) -> {
              if (error != null) {
                // The request figures are still worth answering: the processes' keep their last
                // values until the desk answers again.
                log.warn("metrics: no process figures from the agent desk: {}", error.toString());
              }
              return HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(
                          TEXT_FORMAT, metrics.scrape(views).getBytes(StandardCharsets.UTF_8)));
            },
            executor));
  }
}
