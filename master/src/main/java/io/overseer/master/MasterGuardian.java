package io.overseer.master;

import io.overseer.master.http.AdminRoutes;
import io.overseer.master.http.EdgeRoutes;
import io.overseer.master.http.EdgeServer;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.OsProcessLauncher;
import io.overseer.master.routing.Dispatcher;
import io.overseer.master.supervision.WorkerSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/** Wiring only: the router, the supervisor, the edge, and the shutdown order. */
final class MasterGuardian {
  private MasterGuardian() {}

  static Behavior<Void> create(MasterSettings settings) {
    return Behaviors.setup(context -> {
      ActorSystem<Void> system = context.getSystem();
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.attach(context.spawn(dispatcher.inboxBehavior(), "replies"));
      ActorRef<MasterProtocol.Command> supervisor = context.spawn(
          WorkerSupervisor.create(settings.workers(), new OsProcessLauncher(), dispatcher,
              address -> Cluster.get(system).manager().tell(new Down(address)), Clock.systemUTC()),
          "supervisor");

      AdminRoutes admin = new AdminRoutes(settings.edge(), supervisor, system.scheduler(), system.executionContext());
      EdgeRoutes edge = new EdgeRoutes(settings.edge(), dispatcher, admin, system.executionContext());
      EdgeServer.start(system, edge.routes(), settings.edge());
      stopWorkersOnShutdown(system, supervisor, settings.workers().killTimeout());
      return Behaviors.empty();
    });
  }

  /** After the edge has drained: no restarts, SIGTERM each worker, SIGKILL the ones that linger. */
  private static void stopWorkersOnShutdown(
      ActorSystem<Void> system, ActorRef<MasterProtocol.Command> supervisor, Duration killTimeout) {
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-workers", () ->
        AskPattern.<MasterProtocol.Command, List<LaunchedProcess>>ask(
                supervisor, WorkerSupervisor.StopAll::new, killTimeout, system.scheduler())
            .thenCompose(processes -> CompletableFuture.allOf(
                processes.stream()
                    .map(p -> p.stop(killTimeout).toCompletableFuture())
                    .toArray(CompletableFuture[]::new)))
            .thenApply(all -> Done.getInstance()));
  }
}
