package io.overseer.master.supervision;

import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Starts and loses one app's processes, inside its {@link AppSupervisor}: launches an instance or a
 * spare, kills a process that sent no Ready in time, and on an exit (or a worker that left the
 * cluster) takes it out of routing and carries out what its {@link Instance} decides — launch now,
 * after a back-off (or promote a spare at once), errored, or stay stopped. No state of its own.
 */
final class InstanceLifecycle {
  private final AppScope scope;
  private final AppSettings settings;
  private final AppProcesses processes;
  private final Replacement replacement;

  InstanceLifecycle(AppScope scope, AppProcesses processes, Replacement replacement) {
    this.scope = scope;
    this.settings = scope.settings();
    this.processes = processes;
    this.replacement = replacement;
  }

  void launchInstance(int index) {
    Instance instance = processes.instance(index);
    if (instance == null
        || processes.stopping()
        || instance.current() != null
        || instance.state() == Instance.State.STOPPED) {
      return; // a stopped instance is started by a command, which makes it active first
    }
    instance.launching();
    try {
      instance.started(
          scope.start(
              scope.instanceName(instance.index()), ManagedProcess.Role.CURRENT, instance.index()));
    } catch (IOException | RuntimeException e) {
      scope
          .log()
          .error(
              "{} could not be launched: {}", scope.instanceName(instance.index()), e.toString());
      carryOut(
          instance,
          instance.launchFailed(
              "launch failed: " + e.getMessage(), processes.stopping(), scope.now()));
    }
  }

  void launchSpare() {
    if (processes.stopping() || processes.spareCount() >= settings.spares()) {
      return;
    }
    try {
      processes.addSpare(
          scope.start(
              settings.spareId(processes.nextSpareNumber()),
              ManagedProcess.Role.SPARE,
              processes.instanceCount() + processes.spareCount()));
    } catch (IOException | RuntimeException e) {
      scope.log().error("a spare of {} could not be launched: {}", settings.name(), e.toString());
      scope.armSpare(settings.restart().backoffMax());
    }
  }

  void exited(long pid, int exitCode) {
    var found = processes.byPid(pid);
    if (found.isEmpty()) {
      return;
    }
    ManagedProcess process = found.get();
    scope.timers().cancel(new TimerKey.ReadyDeadline(process.pid()));
    String reason = ExitReason.describe(exitCode, scope.exitReasonFile(process.id()));
    if (process.worker() != null) {
      scope.routing().offline(process.worker(), reason);
      scope.context().unwatch(process.worker());
      scope.cluster().down(process.worker().path().address());
    }
    scope.log().info("{} (pid {}) exited: {}", process.id(), process.pid(), reason);
    Duration uptime = Duration.between(process.startedAt(), scope.now());
    switch (process.role()) {
      case RETIRING -> replacement.retired(process);
      case SPARE -> {
        processes.removeSpare(process);
        scope.armSpare(settings.restart().backoffInitial());
      }
      case INCOMING -> replacement.incomingFailed(process, reason);
      case CURRENT -> {
        Instance instance = processes.instance(process.instance());
        carryOut(
            instance, instance.exited(exitCode, reason, uptime, processes.stopping(), scope.now()));
      }
      default -> processes.removeExternal(process);
    }
  }

  /** Carries out what the instance decided after losing its process (OTP's restart decision). */
  void carryOut(Instance instance, Instance.AfterExit decision) {
    String name = scope.instanceName(instance.index());
    if (decision instanceof Instance.LaunchNow) {
      scope.self().tell(new AppSupervisor.LaunchInstance(instance.index()));
    } else if (decision instanceof Instance.LaunchAfter after) {
      if (!replacement.promoteSpare(instance)) {
        instance.waiting(after.delay(), scope.now());
        scope.armLaunch(instance.index(), after.delay());
      }
    } else if (decision instanceof Instance.Errored errored) {
      scope
          .log()
          .error(
              "{} is errored: more than {} restarts within {}; next attempt in {}",
              name,
              settings.restart().maxRestarts(),
              settings.restart().window(),
              errored.probeAfter());
      scope.armLaunch(instance.index(), errored.probeAfter());
    } else if (decision instanceof Instance.StaysStopped stopped) {
      scope.log().info("{} stays stopped: {}", name, stopped.why());
    }
  }

  void workerTerminated(ActorRef<WorkerProtocol.Command> worker) {
    processes
        .byWorker(worker)
        .ifPresent(
            p -> {
              scope.routing().offline(p.worker(), "left the cluster");
              if (!p.local()) {
                scope.log().info("{} (joined by hand) left the cluster", p.id());
                processes.removeExternal(p);
              } else if (p.state() != ManagedProcess.State.STOPPING) {
                // Its node is gone but its process is not: a broken worker. Kill it; the exit
                // restarts it.
                scope.log().warn("{} (pid {}) left the cluster; killing it", p.id(), p.pid());
                p.handle().kill();
              }
            });
  }

  void readyOverdue(long pid) {
    processes
        .byPid(pid)
        .filter(p -> p.state() == ManagedProcess.State.LAUNCHING)
        .ifPresent(
            p -> {
              scope
                  .log()
                  .warn(
                      "{} (pid {}) sent no Ready within {}; killing it",
                      p.id(),
                      p.pid(),
                      settings.readyTimeout());
              p.handle().kill();
            });
  }
}
