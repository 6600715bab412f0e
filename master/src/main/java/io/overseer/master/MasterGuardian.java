package io.overseer.master;

import io.overseer.master.agent.AgentDesk;
import io.overseer.master.agent.AppPlacement;
import io.overseer.master.agent.ClusterPlan;
import io.overseer.master.agent.Host;
import io.overseer.master.agent.Placement;
import io.overseer.master.bff.BffEdge;
import io.overseer.master.bff.RoutesServer;
import io.overseer.master.dashboard.DashboardRoutes;
import io.overseer.master.dashboard.DashboardSettings;
import io.overseer.master.http.AdminRoutes;
import io.overseer.master.http.DirectAnswer;
import io.overseer.master.http.EdgeRoutes;
import io.overseer.master.http.EdgeServer;
import io.overseer.master.jobs.JobRoutes;
import io.overseer.master.jobs.RouterJobLauncher;
import io.overseer.master.launch.OsProcessLauncher;
import io.overseer.master.messaging.MasterMessaging;
import io.overseer.master.metrics.MasterMetrics;
import io.overseer.master.metrics.MetricsRoutes;
import io.overseer.master.metrics.RequestRates;
import io.overseer.master.routing.NoRouting;
import io.overseer.master.routing.ReplyInbox;
import io.overseer.master.routing.RoutingTable;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.master.schedule.ScheduleRoutes;
import io.overseer.master.schedule.Schedules;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.ClusterLog;
import io.overseer.master.supervision.ClusterMembership;
import io.overseer.master.supervision.LiveProcesses;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.master.supervision.ShutdownStop;
import io.overseer.master.supervision.SupervisionSettings;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring only: a router per worker app, the supervisors, the edge, and the shutdown order. It
 * watches the process supervisor: if that actor dies, nothing supervises the processes any more, so
 * the master stops them all and exits with {@link SupervisionFailed}'s code (70).
 */
final class MasterGuardian {
  private static final Logger log = LoggerFactory.getLogger(MasterGuardian.class);

  private MasterGuardian() {}

  /**
   * @param plan where each app runs: the master starts its own share, its agent desk places the
   *     rest
   * @param osLauncher starts the apps' processes, recording each for the reaper
   * @param dashboardSettings {@code overseer.dashboard}, checked before the master starts
   */
  static Behavior<Void> create(
      MasterSettings settings,
      ClusterPlan plan,
      OsProcessLauncher osLauncher,
      DashboardSettings dashboardSettings) {
    return Behaviors.setup(
        context -> {
          ActorSystem<Void> system = context.getSystem();
          Path runDirectory = Files.createDirectories(settings.home().resolve("run"));
          // Made first: each router reports to it from its first request.
          Optional<MasterMetrics> metrics =
              settings.metrics().enabled()
                  ? Optional.of(MasterMetrics.create(settings.metrics()).withCluster(system))
                  : Optional.empty();
          // The live req/s and p99 per process, for the dashboard and `overseer monit`.
          RequestRates rates = metrics.map(MasterMetrics::rates).orElse(RequestRates.none());
          Map<String, WorkerRouter> routers = new HashMap<>();
          for (AppSettings app : settings.apps()) {
            if (app.routable()) {
              WorkerRouter router =
                  new WorkerRouter(
                      settings.admission(), app.weight(), app.workerWeights(), Clock.systemUTC());
              router.attach(
                  ReplyInbox.create(
                      context,
                      "replies-" + app.name(),
                      router::onReply,
                      router::checkAttempts,
                      settings.admission().attemptCheckInterval()));
              metrics.ifPresent(m -> router.measure(m.forApp(app.name())));
              routers.put(app.name(), router);
            }
          }
          // Only logs, restarts itself on a failure: not watched, nothing depends on it.
          context.spawn(ClusterLog.create(), "cluster-log");
          // Stateless, resumes after a failure: not watched either.
          context.spawn(
              RoutesServer.create(settings.joinedWorkerRoutes()),
              ClusterNames.ROUTES_PATH.substring(ClusterNames.ROUTES_PATH.lastIndexOf('/') + 1));
          if (settings.joinedWorkerRoutes().routes() == null) {
            log.warn(
                "the BFF routes will not be sent to workers started by hand without --config: {}",
                settings.joinedWorkerRoutes().refusal());
          }
          ClusterMembership membership = ClusterMembership.of(system);
          List<AppSettings> localApps = localShares(settings.apps(), plan);
          LiveProcesses launcher = new LiveProcesses(osLauncher);
          SupervisionSettings supervision = settings.supervision();
          ActorRef<MasterProtocol.Command> supervisor =
              context.spawn(
                  ProcessSupervisor.create(
                      localApps,
                      settings.computeApp(),
                      (app, state, listener) -> {
                        RoutingTable routing =
                            app.routable() ? routers.get(app.name()) : new NoRouting();
                        return AppSupervisor.create(
                            app,
                            state,
                            launcher,
                            routing,
                            membership,
                            Clock.systemUTC(),
                            runDirectory,
                            listener,
                            supervision.appRestarts());
                      },
                      Clock.systemUTC(),
                      supervision.maxLocalProcesses(),
                      reason -> fail(system, reason)),
                  "supervisor");
          context.watch(supervisor);
          // The admin API talks to the desk, which shows every host's processes and places scales.
          ActorRef<MasterProtocol.Command> desk =
              context.spawn(
                  AgentDesk.create(
                      supervisor,
                      routers,
                      settings.apps(),
                      localApps.stream()
                          .collect(Collectors.toMap(AppSettings::name, AppSettings::instances)),
                      plan,
                      settings.edge().adminAskTimeout(),
                      settings.edge().adminOperationTimeout()),
                  "agents");
          context.watch(desk);

          RouterJobLauncher jobLauncher =
              new RouterJobLauncher(settings.jobs(), routers, Clock.systemUTC());
          jobLauncher.attach(context, "job-acks");
          JobRoutes jobs =
              new JobRoutes(
                  jobLauncher, settings.admission().retryAfter(), settings.edge().timeoutMargin());
          var schedules = Schedules.start(context, settings.scheduling(), jobLauncher);
          // req/s and p99 per process from the metrics (none when metrics are off: 0 and "-").
          DashboardRoutes dashboard =
              DashboardRoutes.start(
                  system,
                  dashboardSettings,
                  desk,
                  rates,
                  settings.home().resolve("logs"),
                  settings.edge().adminAskTimeout(),
                  settings.edge().adminToken());
          AdminRoutes admin =
              new AdminRoutes(
                  settings.edge(),
                  desk,
                  routers.values(),
                  system.scheduler(),
                  system.executionContext(),
                  settings.admin(),
                  jobs.adminRoutes(),
                  MasterMessaging.routes(context, settings.edge().adminAskTimeout()),
                  new ScheduleRoutes(
                          schedules,
                          settings.edge().adminAskTimeout(),
                          system.scheduler(),
                          system.executionContext())
                      .routes(),
                  dashboard.adminRoutes());
          EdgeRoutes edge =
              new EdgeRoutes(
                  settings.edge(),
                  routers.get(settings.computeApp()),
                  settings.computeRoute(),
                  admin,
                  dashboard.uiRoutes(admin::routes));
          BffEdge bff = new BffEdge(settings.bffRoutes(), routers, settings.bffLimits());
          // On the admin listener when there is one (with the admin API), else on the edge.
          Route metricsRoute = MetricsRoutes.route(metrics, settings.edge(), desk, system);
          boolean adminOnEdge = settings.admin().listener().isEmpty();
          // The BFF routes last: they match any other path (an unknown one falls through to 404).
          var edgeBound =
              EdgeServer.start(
                  system,
                  settings.edge(),
                  system.settings().config().getBoolean("overseer.http.direct-compute")
                      ? edge::directCompute
                      : DirectAnswer.NONE,
                  edge.routes(adminOnEdge),
                  adminOnEdge ? metricsRoute : Directives.reject(),
                  jobs.edgeRoutes(),
                  bff.routes());
          // The admin listener after the edge: its /health answering (what `overseer start` waits
          // for, at admin.url) then means the edge is up too.
          settings
              .admin()
              .listener()
              .ifPresent(
                  listener ->
                      edgeBound.thenRun(
                          () ->
                              EdgeServer.startAdmin(
                                  system,
                                  listener,
                                  settings.edge(),
                                  Directives.concat(edge.adminListenerRoutes(), metricsRoute))));
          ShutdownStop.register(
              system, supervisor, launcher, ShutdownStop.maxKillTimeout(settings.apps()));
          return Behaviors.receive(Void.class)
              .onSignal(
                  Terminated.class,
                  terminated -> {
                    // Watched: the process supervisor, the agent desk and each app's reply inbox;
                    // any gone means requests or processes nobody handles any more.
                    fail(
                        system,
                        terminated.getRef().equals(supervisor)
                            ? "the process supervisor stopped"
                            : terminated.getRef().equals(desk)
                                ? "the agent desk stopped"
                                : "the reply inbox "
                                    + terminated.getRef().path().name()
                                    + " stopped");
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** Logged at ERROR, then the coordinated shutdown, which stops every process and exits 70. */
  private static void fail(ActorSystem<Void> system, String reason) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    if (shutdown.getShutdownReason().isPresent()) {
      return; // already stopping (a SIGTERM stops the supervisors too): nothing failed
    }
    log.error(
        "supervision failed: {}; stopping every process and exiting with code {}",
        reason,
        SupervisionFailed.EXIT_CODE);
    shutdown.run(new SupervisionFailed(reason));
  }

  /**
   * The apps as the master's own supervisor starts them: an app placed on several hosts starts with
   * the master's share while no agent has joined yet.
   */
  private static List<AppSettings> localShares(List<AppSettings> apps, ClusterPlan plan) {
    Host master =
        new Host(
            plan.nodeName(),
            java.util.Set.of(),
            io.overseer.master.supervision.InstanceCount.localCores());
    return apps.stream()
        .map(
            app -> {
              AppPlacement placement = plan.placement(app.name());
              if (!placement.spansHosts()) {
                return app;
              }
              io.overseer.master.supervision.InstanceCount count =
                  placement.isPerHost()
                      ? placement.perHost()
                      : io.overseer.master.supervision.InstanceCount.of(app.instances());
              int local =
                  Placement.shares(placement, count, master, List.of(), java.util.Set.of())
                      .getOrDefault(master.name(), 0);
              return app.withCounts(local, app.spares());
            })
        .toList();
  }
}
