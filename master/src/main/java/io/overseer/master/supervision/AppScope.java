package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.MasterProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * What every part of one app's supervisor shares, and nothing it changes: the app's settings, the
 * actor's context and timers, and the outside world (launcher, router, cluster, clock). Built once
 * per incarnation of the {@link AppSupervisor} actor and handed to its parts, so that they depend
 * on this narrow, immutable scope instead of on the actor and its fields. Starting a process is
 * here too, because the actor, a replacement and a re-adoption all do it the same way.
 *
 * @param runDirectory where workers leave the reason of an uncaught-exception exit
 */
record AppScope(
    AppSettings settings,
    ActorContext<MasterProtocol.Command> context,
    TimerScheduler<MasterProtocol.Command> timers,
    ProcessLauncher launcher,
    RoutingTable routing,
    ClusterMembership cluster,
    Clock clock,
    Path runDirectory) {

  Logger log() {
    return context.getLog();
  }

  ActorRef<MasterProtocol.Command> self() {
    return context.getSelf();
  }

  Instant now() {
    return clock.instant();
  }

  /**
   * The id of an instance, and of the processes started for it: {@code web-0}, {@code web-0@h2}.
   */
  String instanceName(int index) {
    return settings.instanceId(index);
  }

  Path exitReasonFile(String processId) {
    return runDirectory.resolve(processId + ".exit-reason");
  }

  /** Publishes a ready worker to the router. */
  void route(ManagedProcess process) {
    routing.online(new RoutableWorker(process.id(), process.pid(), process.worker()));
    context.getLog().info("{} (pid {}) is routable", process.id(), process.pid());
  }

  /**
   * Starts one process; its exit comes back as {@link AppSupervisor.ProcessExited}. A worker is not
   * routed until its Ready arrives, by the app's ready timeout; a command is ready at once.
   */
  ManagedProcess start(String processId, ManagedProcess.Role role, int instanceNumber)
      throws IOException {
    LaunchSpec spec =
        settings.launch().specFor(processId, instanceNumber, exitReasonFile(processId));
    LaunchedProcess handle = launcher.launch(spec);
    ManagedProcess process =
        ManagedProcess.launched(
            processId, role, instanceNumber, handle, spec.argv(), now(), settings.routable());
    watchExit(process);
    context
        .getLog()
        .info(
            "{} launched, pid {} ({})",
            processId,
            handle.pid(),
            role.name().toLowerCase(Locale.ROOT));
    if (settings.routable()) {
      armReadyDeadline(process.pid(), settings.readyTimeout());
    }
    return process;
  }

  /** The process's exit is sent to this actor (again, after a restart: a duplicate is ignored). */
  void watchExit(ManagedProcess process) {
    long pid = process.pid();
    context.pipeToSelf(
        process.handle().onExit(),
        (code, error) -> new AppSupervisor.ProcessExited(pid, code == null ? -1 : code));
  }

  void armReadyDeadline(long pid, Duration after) {
    timers.startSingleTimer(
        new TimerKey.ReadyDeadline(pid), new AppSupervisor.ReadyOverdue(pid), after);
  }

  void armLaunch(int index, Duration after) {
    timers.startSingleTimer(
        new TimerKey.LaunchDelay(index), new AppSupervisor.LaunchInstance(index), after);
  }

  void armSpare(Duration after) {
    timers.startSingleTimer(
        TimerKey.SpareDelay.INSTANCE, AppSupervisor.LaunchSpare.INSTANCE, after);
  }
}
