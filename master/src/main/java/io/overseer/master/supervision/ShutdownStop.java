package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The last step of a master's or an agent's coordinated shutdown: nothing it started outlives it.
 */
public final class ShutdownStop {
  private ShutdownStop() {}

  /** The longest kill timeout of the apps: how long a stop may take. */
  public static Duration maxKillTimeout(List<AppSettings> apps) {
    return apps.stream()
        .map(AppSettings::killTimeout)
        .max(Duration::compareTo)
        .orElse(Duration.ofSeconds(5));
  }

  /**
   * After the edge has drained (on an agent: at once): no restarts, SIGTERM every process, SIGKILL
   * the ones that linger. If the supervisor cannot answer (it died: the failure that ends the JVM),
   * every process the launcher knows to be alive is stopped instead.
   */
  public static void register(
      ActorSystem<?> system,
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
                            Stream.concat(processes.stream(), launched.live().stream())
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
