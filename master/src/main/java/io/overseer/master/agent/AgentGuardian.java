package io.overseer.master.agent;

import io.overseer.master.MasterSettings;
import io.overseer.master.launch.OsProcessLauncher;
import io.overseer.master.routing.NoRouting;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.ClusterMembership;
import io.overseer.master.supervision.LiveProcesses;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.master.supervision.ShutdownStop;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring of an agent: the master's process supervisor, unchanged, at the path its workers announce
 * themselves to ({@code --join} of its workers is this agent), with routing through the master's
 * desk, and the {@link AgentActor} that keeps in touch with the master. Every app starts with no
 * instance and no spare (spares are the master's host's): the master's assignment says how many.
 */
final class AgentGuardian {
  private static final Logger log = LoggerFactory.getLogger(AgentGuardian.class);

  private AgentGuardian() {}

  static Behavior<Void> create(
      MasterSettings settings,
      AgentArgs args,
      AgentSettings agent,
      String fingerprint,
      OsProcessLauncher osLauncher) {
    return Behaviors.setup(
        context -> {
          ActorSystem<Void> system = context.getSystem();
          Path runDirectory = Files.createDirectories(settings.home().resolve("run"));
          List<AppSettings> apps =
              settings.apps().stream().map(a -> a.withCounts(0, 0).onAgent(args.name())).toList();
          ActorRef<AgentProtocol.ToMaster> desk =
              ActorRefResolver.get(system)
                  .resolveActorRef(
                      "pekko://"
                          + ClusterNames.SYSTEM
                          + "@"
                          + args.join()
                          + AgentProtocol.DESK_PATH);
          AgentRouting routing =
              new AgentRouting(args.name(), desk, agent.askTimeout(), system.scheduler());
          ClusterMembership membership = ClusterMembership.of(system);
          LiveProcesses launcher = new LiveProcesses(osLauncher);
          ActorRef<MasterProtocol.Command> supervisor =
              context.spawn(
                  named(
                      ProcessSupervisor.class,
                      ProcessSupervisor.create(
                          apps,
                          settings.computeApp(),
                          (app, state, listener) ->
                              named(
                                  AppSupervisor.class,
                                  AppSupervisor.create(
                                      app,
                                      state,
                                      launcher,
                                      app.routable() ? routing.forApp(app.name()) : new NoRouting(),
                                      membership,
                                      Clock.systemUTC(),
                                      runDirectory,
                                      listener,
                                      settings.supervision().appRestarts())),
                          Clock.systemUTC(),
                          settings.supervision().maxLocalProcesses(),
                          reason -> fail(system, reason))),
                  "supervisor");
          context.watch(supervisor);
          ActorRef<AgentProtocol.ToAgent> link =
              context.spawn(
                  named(
                      AgentActor.class,
                      AgentActor.create(
                          args.name(),
                          apps.stream().map(AppSettings::name).collect(Collectors.toSet()),
                          desk,
                          supervisor,
                          routing,
                          agent,
                          fingerprint,
                          new AgentLogs(
                              args.name(),
                              settings.home().resolve("logs"),
                              io.overseer.master.logs.RemoteLogSettings.create(system),
                              system
                                  .dispatchers()
                                  .lookup(
                                      org.apache.pekko.actor.typed.DispatcherSelector
                                          .blocking())))),
                  "agent");
          context.watch(link);
          ShutdownStop.register(system, supervisor, launcher, ShutdownStop.maxKillTimeout(apps));
          return Behaviors.receive(Void.class)
              .onSignal(
                  Terminated.class,
                  terminated -> {
                    fail(system, "the actor " + terminated.getRef().path().name() + " stopped");
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /**
   * The behaviour with its actor's log named after {@code type}. Pekko names an actor's log after
   * the class on the stack at its first log call, and on an agent that was at times a Pekko class,
   * whose level (WARN) hid the supervision's INFO lines.
   */
  static <T> Behavior<T> named(Class<?> type, Behavior<T> behavior) {
    return Behaviors.setup(
        context -> {
          context.setLoggerName(type);
          return behavior;
        });
  }

  /** Logged at ERROR, then the coordinated shutdown, which stops every process and exits 70. */
  private static void fail(ActorSystem<Void> system, String reason) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    if (shutdown.getShutdownReason().isPresent()) {
      return; // already stopping: nothing failed
    }
    log.error("supervision failed: {}; stopping every process and exiting", reason);
    shutdown.run(io.overseer.master.SupervisionFailed.of(reason));
  }
}
