package io.overseer.master;

import io.overseer.master.bff.BffEdge;
import io.overseer.master.bff.RoutesServer;
import io.overseer.master.http.AdminRoutes;
import io.overseer.master.http.EdgeRoutes;
import io.overseer.master.http.EdgeServer;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.OsProcessLauncher;
import io.overseer.master.routing.NoRouting;
import io.overseer.master.routing.ReplyInbox;
import io.overseer.master.routing.RoutingTable;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.ClusterLog;
import io.overseer.master.supervision.ClusterMembership;
import io.overseer.master.supervision.LiveProcesses;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.master.supervision.SupervisionSettings;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.Subscribe;
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
   * @param osLauncher starts the apps' processes, recording each for the reaper
   */
  static Behavior<Void> create(MasterSettings settings, OsProcessLauncher osLauncher) {
    return Behaviors.setup(
        context -> {
          ActorSystem<Void> system = context.getSystem();
          Path runDirectory = Files.createDirectories(settings.home().resolve("run"));
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
          ClusterMembership membership = clusterMembership(system);
          LiveProcesses launcher = new LiveProcesses(osLauncher);
          SupervisionSettings supervision = settings.supervision();
          ActorRef<MasterProtocol.Command> supervisor =
              context.spawn(
                  ProcessSupervisor.create(
                      settings.apps(),
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

          AdminRoutes admin =
              new AdminRoutes(
                  settings.edge(),
                  supervisor,
                  routers.values(),
                  system.scheduler(),
                  system.executionContext(),
                  settings.admin());
          EdgeRoutes edge =
              new EdgeRoutes(
                  settings.edge(),
                  routers.get(settings.computeApp()),
                  settings.computeRoute(),
                  admin);
          BffEdge bff = new BffEdge(settings.bffRoutes(), routers, settings.bffLimits());
          // The BFF routes last: they match any other path (an unknown one falls through to 404).
          var edgeBound =
              EdgeServer.start(
                  system,
                  settings.edge(),
                  edge.routes(settings.admin().listener().isEmpty()),
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
                                  system, listener, settings.edge(), edge.adminListenerRoutes())));
          stopProcessesOnShutdown(system, supervisor, launcher, maxKillTimeout(settings.apps()));
          return Behaviors.receive(Void.class)
              .onSignal(
                  Terminated.class,
                  terminated -> {
                    // Watched: the process supervisor and each app's reply inbox; either gone
                    // means requests or processes nobody handles any more.
                    fail(
                        system,
                        terminated.getRef().equals(supervisor)
                            ? "the process supervisor stopped"
                            : "the reply inbox " + terminated.getRef().path().name() + " stopped");
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

  private static ClusterMembership clusterMembership(ActorSystem<Void> system) {
    return new ClusterMembership() {
      @Override
      public void down(Address node) {
        Cluster.get(system).manager().tell(new Down(node));
      }

      @Override
      public void leave(Address node) {
        Cluster.get(system).manager().tell(Leave.create(node));
      }

      @Override
      public void subscribeToReachability(ActorRef<ClusterEvent.ReachabilityEvent> subscriber) {
        Cluster.get(system)
            .subscriptions()
            .tell(Subscribe.create(subscriber, ClusterEvent.ReachabilityEvent.class));
      }
    };
  }

  private static Duration maxKillTimeout(List<AppSettings> apps) {
    return apps.stream()
        .map(AppSettings::killTimeout)
        .max(Duration::compareTo)
        .orElse(Duration.ofSeconds(5));
  }

  /**
   * After the edge has drained: no restarts, SIGTERM every process, SIGKILL the ones that linger.
   * If the supervisor cannot answer (it died: the failure that ends the master), every process the
   * launcher knows to be alive is stopped instead.
   */
  private static void stopProcessesOnShutdown(
      ActorSystem<Void> system,
      ActorRef<MasterProtocol.Command> supervisor,
      LiveProcesses launched,
      Duration killTimeout) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "stop-processes",
            () ->
                AskPattern.<MasterProtocol.Command, List<LaunchedProcess>>ask(
                        supervisor, ProcessSupervisor.StopAll::new, killTimeout, system.scheduler())
                    .exceptionally(error -> List.of()) // every live process is added just below
                    .thenApply(
                        processes ->
                            java.util.stream.Stream.concat(
                                    processes.stream(), launched.live().stream())
                                .distinct()
                                .toList())
                    .thenCompose(
                        processes ->
                            CompletableFuture.allOf(
                                processes.stream()
                                    .map(p -> p.stop(killTimeout).toCompletableFuture())
                                    .toArray(CompletableFuture[]::new)))
                    .thenApply(all -> Done.getInstance()));
  }
}
