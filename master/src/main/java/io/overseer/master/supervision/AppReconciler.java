package io.overseer.master.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a restarted {@link AppSupervisor} does before its first message: re-adopt the app's
 * processes from {@link AppProcesses} without starting or stopping any of them.
 *
 * <p>What survives a typed restart in Pekko (1.x, {@code RestartSupervisor}) and what does not: the
 * actor's context, self reference, watches ({@code watchWith} of workers) and message adapters
 * survive, and so do futures piped to self (an exit, a drain) — their messages reach the new
 * incarnation. Timers are cancelled (this actor has no children to stop). The message being handled
 * when the failure happened is lost. So here: timers are armed again from the recorded deadlines,
 * ready workers are published to the router again (it may have missed the one being routed), every
 * local process's exit is piped to self again (an exit whose message was the one lost is then seen;
 * a duplicate finds no process and is ignored), and an instance left without a process is launched.
 */
final class AppReconciler {
  /**
   * Re-adopting failed: the recorded state cannot be trusted, so the actor must not be restarted
   * again over it. Checked, so the restart strategy (for RuntimeException) lets it stop the actor.
   */
  static final class Failed extends Exception {
    Failed(String app, Throwable cause) {
      super("the supervisor of " + app + " could not re-adopt its processes: " + cause, cause);
    }
  }

  private final AppScope scope;
  private final AppProcesses processes;

  AppReconciler(AppScope scope, AppProcesses processes) {
    this.scope = scope;
    this.processes = processes;
  }

  void readopt() throws Failed {
    try {
      int restart = processes.supervisorRestarted();
      List<ManagedProcess> all = processes.all().toList();
      scope
          .log()
          .warn(
              "supervisor of {} restarted after a failure (restart {}); re-adopting {} running"
                  + " process(es) without restarting them",
              scope.settings().name(),
              restart,
              all.size());
      Instant now = scope.now();
      for (ManagedProcess process : all) {
        readopt(process, now);
      }
      for (Instance instance : processes.instances()) {
        rearmLaunch(instance, now);
      }
      if (processes.spareCount() < scope.settings().spares() && !processes.stopping()) {
        scope.armSpare(scope.settings().restart().backoffInitial());
      }
    } catch (RuntimeException e) {
      throw new Failed(scope.settings().name(), e);
    }
  }

  private void readopt(ManagedProcess process, Instant now) {
    if (process.local() && process.handle() != null) {
      scope.watchExit(process);
    }
    if (process.state() == ManagedProcess.State.LAUNCHING
        && scope.settings().routable()
        && process.local()) {
      scope.armReadyDeadline(
          process.pid(),
          notNegative(
              Duration.between(now, process.startedAt().plus(scope.settings().readyTimeout()))));
    }
    boolean serving =
        process.role() == ManagedProcess.Role.CURRENT
            || process.role() == ManagedProcess.Role.EXTERNAL;
    if (serving && process.isReady() && process.worker() != null) {
      scope.route(process);
    }
  }

  /**
   * An instance without a process is launched when its recorded next attempt is due (now if none).
   */
  private void rearmLaunch(Instance instance, Instant now) {
    if (!instance.idle() || processes.stopping() || instance.state() == Instance.State.STOPPED) {
      return;
    }
    scope.armLaunch(
        instance.index(),
        instance.nextAttemptAt() == null
            ? Duration.ZERO
            : notNegative(Duration.between(now, instance.nextAttemptAt())));
  }

  private static Duration notNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
