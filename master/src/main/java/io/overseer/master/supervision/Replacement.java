package io.overseer.master.supervision;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Drain-and-replace, the step every long operation is built from: an instance gets a new process
 * without losing capacity (the new one is ready first, or a ready spare takes over at once), then
 * the old one is taken out of rotation, drained of its requests and stopped. Runs inside the app's
 * supervisor actor; what it started reports back through {@link Listener}, so the operation that
 * asked (a rolling reload) follows its steps without this class knowing it.
 */
final class Replacement {
  /** The outcome of replacements, for the operation that asked for them. */
  interface Listener {
    /** The newcomer took over the instance; {@code old} (null if there was none) is retiring. */
    void tookOver(Instance instance, ManagedProcess old);

    /** A retiring process has exited. */
    void retired(ManagedProcess process);

    /** Replacing the instance failed; its old process (if any) keeps serving. */
    void failed(Instance instance, String message);
  }

  private final AppScope scope;
  private final AppProcesses processes;
  private Listener listener;

  Replacement(AppScope scope, AppProcesses processes) {
    this.scope = scope;
    this.processes = processes;
  }

  /** Who hears of the replacements; set once, when the supervisor wires its parts. */
  void reportTo(Listener operation) {
    this.listener = operation;
  }

  /**
   * Replaces the instance's process: a ready spare takes over at once if {@code useSpare}, else a
   * new process is started and takes over when ready. The old one is drained, then stopped.
   */
  void replace(Instance instance, String why, boolean useSpare) {
    if (useSpare && promoteSpare(instance)) {
      return;
    }
    try {
      ManagedProcess incoming =
          scope.start(
              scope.instanceName(instance.index()), ManagedProcess.Role.INCOMING, instance.index());
      instance.incomingStarted(incoming);
      scope
          .log()
          .info("{}: starting a new process ({})", scope.instanceName(instance.index()), why);
      if (incoming.isReady()) {
        takeOver(instance, incoming); // a command app has no handshake to wait for
      }
    } catch (IOException | RuntimeException e) {
      fail(instance, "launch failed: " + e.getMessage());
    }
  }

  /** A spare, if one is ready, becomes the instance's process; a new spare is started behind it. */
  boolean promoteSpare(Instance instance) {
    Optional<ManagedProcess> spare = processes.takeReadySpare();
    if (spare.isEmpty()) {
      return false;
    }
    ManagedProcess promoted = spare.get();
    promoted.assigned(ManagedProcess.Role.INCOMING, promoted.instance());
    scope
        .log()
        .info(
            "spare {} (pid {}) takes over {}",
            promoted.id(),
            promoted.pid(),
            scope.instanceName(instance.index()));
    takeOver(instance, promoted);
    scope.armSpare(scope.settings().restart().backoffInitial());
    return true;
  }

  /** The ready newcomer serves the instance from now on; the process it replaces retires. */
  void takeOver(Instance instance, ManagedProcess newcomer) {
    ManagedProcess old = instance.takenOverBy(newcomer);
    newcomer.assigned(ManagedProcess.Role.CURRENT, instance.index());
    if (newcomer.worker() != null) {
      scope.route(newcomer);
    }
    listener.tookOver(instance, old);
    if (old != null) {
      retire(old);
    }
  }

  /**
   * Stop routing to the process, let its requests finish (up to the kill timeout), then stop it.
   */
  void retire(ManagedProcess old) {
    old.retiring();
    processes.addRetiring(old);
    long pid = old.pid();
    if (old.worker() == null) {
      scope.self().tell(new AppSupervisor.Drained(pid));
      return;
    }
    scope.routing().drain(old.worker());
    scope
        .context()
        .pipeToSelf(
            scope
                .routing()
                .whenIdle(old.worker())
                .toCompletableFuture()
                .copy()
                .completeOnTimeout(
                    null, scope.settings().killTimeout().toMillis(), TimeUnit.MILLISECONDS),
            (ignored, error) -> new AppSupervisor.Drained(pid));
  }

  /** A retiring process has no request left (or ran out of time): it is stopped. */
  void onDrained(long pid) {
    processes
        .retiringByPid(pid)
        .filter(p -> p.state() == ManagedProcess.State.DRAINING)
        .ifPresent(
            p -> {
              p.stopping();
              if (p.worker() != null) {
                scope.cluster().leave(p.worker().path().address());
              }
              p.handle().stop(scope.settings().killTimeout());
            });
  }

  /** A retiring process has exited: a replacement step is complete. */
  void retired(ManagedProcess process) {
    processes.removeRetiring(process);
    listener.retired(process);
  }

  /** A process started to take over an instance died before it was ready: keep the old one. */
  void incomingFailed(ManagedProcess process, String reason) {
    Instance instance = processes.instance(process.instance());
    if (instance != null && instance.incoming() == process) {
      instance.incomingLost();
      fail(instance, "its new process exited before it was ready (" + reason + ")");
      if (instance.current() == null && !processes.stopping()) {
        scope.self().tell(new AppSupervisor.LaunchInstance(instance.index()));
      }
    }
  }

  private void fail(Instance instance, String reason) {
    String message = scope.instanceName(instance.index()) + ": " + reason;
    scope.log().error("replacement failed: {}", message);
    listener.failed(instance, message);
  }
}
