package io.overseer.master.supervision;

import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * restart, stop and start of one instance ({@code overseer restart web-0}, pm2's {@code restart
 * 3}). Each answers when its instance is where it was asked to be, or fails at a deadline derived
 * from the app's ready and kill timeouts, through {@link PendingAnswers} like the app's commands.
 *
 * <ul>
 *   <li>restart: a worker gets a new process that is ready before the old one is drained and
 *       stopped (the reload step, so no request fails); a command app's process is stopped, then
 *       started (a second copy could not bind the same port).
 *   <li>stop: the process leaves routing, finishes its requests and is stopped; the instance then
 *       stays {@code stopped}: supervision does not restart it and a reload passes it by. {@code
 *       start PROCESS}, the app's {@code restart}, or a scale that removes it (the highest-numbered
 *       go first) ends that; a scale that keeps it keeps it stopped.
 *   <li>start: a stopped, waiting or errored instance is started now.
 * </ul>
 */
final class InstanceCommands {
  /** The message to the app's supervisor: {@code operation} on the instance {@code index}. */
  record Run(int index, ProcessOperation operation, ActorRef<OpResult> replyTo)
      implements MasterProtocol.Internal {}

  private final AppScope scope;
  private final AppProcesses processes;
  private final Replacement replacement;

  InstanceCommands(AppScope scope, AppProcesses processes, Replacement replacement) {
    this.scope = scope;
    this.processes = processes;
    this.replacement = replacement;
  }

  void run(Run command) {
    int index = command.index();
    ActorRef<OpResult> replyTo = command.replyTo();
    Instance instance = processes.instance(index);
    String id = scope.instanceName(index);
    if (instance == null) {
      replyTo.tell(new OpResult(OpResult.Status.UNKNOWN_PROCESS, "unknown process '" + id + "'"));
    } else if (processes.stopping()) {
      replyTo.tell(OpResult.failed("the master is shutting down"));
    } else if (instance.incoming() != null || instance.isRestartRequested()) {
      // Its replacement (a reload, a memory limit, a restart) owns it until done.
      replyTo.tell(OpResult.failed(id + " is being replaced; try again once it is done"));
    } else {
      switch (command.operation()) {
        case RESTART -> restart(instance, id, replyTo);
        case STOP -> stop(instance, id, replyTo);
        case START -> start(instance, id, replyTo, "started");
      }
    }
  }

  private void restart(Instance instance, String id, ActorRef<OpResult> replyTo) {
    ManagedProcess old = instance.current();
    if (old == null) {
      start(instance, id, replyTo, "restarted");
      return;
    }
    long pid = old.pid();
    if (scope.settings().routable()) {
      replacement.replace(instance, "restart " + id, false);
    } else {
      instance.restartRequested();
      old.stopping();
      old.handle().stop(scope.settings().killTimeout());
    }
    processes
        .pendingAnswers()
        .add(
            () -> instance.serving() && !runs(pid),
            () ->
                instance.incoming() == null
                        && instance.current() != null
                        && instance.current().pid() == pid
                        && !instance.isRestartRequested()
                    ? id
                        + ": its new process did not become ready; the old one (pid "
                        + pid
                        + ") keeps serving"
                    : null,
            scope.now().plus(within()),
            replyTo,
            "restarted " + id + " (pid " + pid + " replaced)",
            id + " was not restarted in time");
  }

  private void stop(Instance instance, String id, ActorRef<OpResult> replyTo) {
    scope.timers().cancel(new TimerKey.LaunchDelay(instance.index()));
    ManagedProcess old = instance.stoppedByCommand();
    String success =
        "stopped "
            + id
            + "; it stays stopped until start "
            + id
            + " or a restart of "
            + scope.settings().name();
    scope.log().info("{} stopped by command", id);
    if (old == null) {
      replyTo.tell(OpResult.ok(success));
      return;
    }
    long pid = old.pid();
    replacement.retire(old); // out of routing, drained, then stopped: no request fails
    processes
        .pendingAnswers()
        .add(
            () -> !runs(pid),
            scope.now().plus(within()),
            replyTo,
            success,
            id + " (pid " + pid + ") did not stop in time");
  }

  private void start(Instance instance, String id, ActorRef<OpResult> replyTo, String done) {
    if (!instance.idle()) {
      replyTo.tell(OpResult.ok(id + " is running already"));
      return;
    }
    scope.timers().cancel(new TimerKey.LaunchDelay(instance.index()));
    instance.launching();
    scope.self().tell(new AppSupervisor.LaunchInstance(instance.index()));
    processes
        .pendingAnswers()
        .add(
            instance::serving,
            () ->
                instance.state() != Instance.State.ACTIVE
                    ? id + " did not start: " + instance.lastExitReason()
                    : null,
            scope.now().plus(within()),
            replyTo,
            done + " " + id,
            id + " did not start in time");
  }

  private boolean runs(long pid) {
    return processes.all().anyMatch(p -> p.local() && p.pid() == pid);
  }

  /** A new process ready, the old one drained, then stopped. */
  private Duration within() {
    return scope.settings().readyTimeout().plus(scope.settings().killTimeout().multipliedBy(2));
  }
}
