package io.overseer.master.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import io.overseer.protocol.MasterProtocol;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The multi-step lifecycle operations of an {@link AppSupervisor}, run inside that actor: replace
 * an instance without losing capacity (new process ready first, then drain and stop the old one),
 * promote spares, and the reload, restart and scale commands built from those steps.
 */
final class AppOperations {
  /** An operation that answers once a condition holds, or fails at its deadline. */
  record Waiter(BooleanSupplier done, Instant deadline, ActorRef<OpResult> replyTo, String success,
      String timeout) {}

  /** How many unready instances a timeout message names (the answer must stay one readable line). */
  private static final int DESCRIBED_INSTANCES = 5;

  private final AppSupervisor app;
  private final AppProcesses processes;
  private final List<Waiter> waiters;

  AppOperations(AppSupervisor app) {
    this.app = app;
    this.processes = app.processes;
    this.waiters = processes.waiters;
  }

  // ---- replacing one instance ------------------------------------------------------------

  /**
   * Replaces the instance's process: a ready spare takes over at once if {@code useSpare}, else a
   * new process is started and takes over when ready. The old one is drained, then stopped.
   */
  void replace(Instance instance, String why, boolean useSpare) {
    if (useSpare && promoteSpare(instance)) {
      return;
    }
    try {
      instance.incoming = app.launch(app.settings.name() + "-" + instance.index, ManagedProcess.Role.INCOMING,
          instance.index);
      instance.launched(instance.incoming.startedAt);
      app.context.getLog().info("{}-{}: starting a new process ({})", app.settings.name(), instance.index, why);
      if (instance.incoming.isReady()) {
        takeOver(instance, instance.incoming); // a command app has no handshake to wait for
      }
    } catch (java.io.IOException | RuntimeException e) {
      fail(instance, "launch failed: " + e.getMessage());
    }
  }

  /** A spare, if one is ready, becomes the instance's process; a new spare is started behind it. */
  boolean promoteSpare(Instance instance) {
    var spare = processes.readySpare();
    if (spare.isEmpty()) {
      return false;
    }
    ManagedProcess promoted = spare.get();
    processes.spares.remove(promoted);
    promoted.role = ManagedProcess.Role.INCOMING;
    app.context.getLog().info("spare {} (pid {}) takes over {}-{}", promoted.id, promoted.pid,
        app.settings.name(), instance.index);
    takeOver(instance, promoted);
    app.timers.startSingleTimer("spare", new AppSupervisor.LaunchSpare(), app.settings.restart().backoffInitial());
    return true;
  }

  /** The ready newcomer serves the instance from now on; the process it replaces retires. */
  void takeOver(Instance instance, ManagedProcess newcomer) {
    ManagedProcess old = instance.current;
    instance.incoming = null;
    instance.current = newcomer;
    instance.state = Instance.State.ACTIVE;
    instance.nextAttemptAt = null;
    newcomer.role = ManagedProcess.Role.CURRENT;
    newcomer.instance = instance.index;
    if (newcomer.worker != null) {
      app.route(newcomer);
    }
    if (old != null) {
      if (processes.rollout != null && processes.rollout.inProgress.contains(instance.index)) {
        processes.rollout.retiringOldPids.add(old.pid);
      }
      retire(old);
    } else if (processes.rollout != null && processes.rollout.inProgress.remove(instance.index)) {
      processes.rollout.replaced++; // the old process died meanwhile: nothing left to drain
      advanceRollout();
    }
  }

  /** Stop routing to the process, let its requests finish (up to the kill timeout), then stop it. */
  void retire(ManagedProcess old) {
    old.role = ManagedProcess.Role.RETIRING;
    old.state = ManagedProcess.State.DRAINING;
    processes.retiring.add(old);
    if (old.worker == null) {
      app.context.getSelf().tell(new AppSupervisor.Drained(old.pid));
      return;
    }
    app.routing.drain(old.worker);
    long pid = old.pid;
    app.context.pipeToSelf(
        app.routing.whenIdle(old.worker).toCompletableFuture().copy()
            .completeOnTimeout(null, app.settings.killTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
        (ignored, error) -> new AppSupervisor.Drained(pid));
  }

  Behavior<MasterProtocol.Command> onDrained(long pid) {
    processes.retiring.stream().filter(p -> p.pid == pid && p.state == ManagedProcess.State.DRAINING)
        .findFirst().ifPresent(p -> {
          p.state = ManagedProcess.State.STOPPING;
          if (p.worker != null) {
            app.cluster.leave(p.worker.path().address());
          }
          p.handle.stop(app.settings.killTimeout());
        });
    return Behaviors.same();
  }

  /** A retiring process has exited: a replacement step is complete. */
  void retired(ManagedProcess process) {
    processes.retiring.remove(process);
    if (processes.rollout != null && processes.rollout.retiringOldPids.remove(process.pid)) {
      processes.rollout.inProgress.remove(process.instance);
      processes.rollout.replaced++;
      advanceRollout();
    }
  }

  /** A process started to take over an instance died before it was ready: keep the old one. */
  void incomingFailed(ManagedProcess process, String reason) {
    Instance instance = processes.instances.get(process.instance);
    if (instance != null && instance.incoming == process) {
      instance.incoming = null;
      fail(instance, "its new process exited before it was ready (" + reason + ")");
      if (instance.current == null && !processes.stopping) {
        app.context.getSelf().tell(new AppSupervisor.LaunchInstance(instance.index));
      }
    }
  }

  private void fail(Instance instance, String reason) {
    String message = app.settings.name() + "-" + instance.index + ": " + reason;
    app.context.getLog().error("replacement failed: {}", message);
    if (processes.rollout != null && processes.rollout.inProgress.remove(instance.index)) {
      processes.rollout.fail(message + "; rollout stopped, the old processes keep serving");
      advanceRollout();
    }
  }

  // ---- reload --------------------------------------------------------------------------------

  Behavior<MasterProtocol.Command> onReload(ActorRef<OpResult> replyTo) {
    if (processes.rollout != null) {
      replyTo.tell(OpResult.failed("a reload of " + app.settings.name() + " is already running"));
      return Behaviors.same();
    }
    processes.rollout = new Rollout(new ArrayDeque<>(processes.instances.keySet()), replyTo);
    advanceRollout();
    return Behaviors.same();
  }

  private void advanceRollout() {
    if (processes.rollout == null) {
      return;
    }
    while (processes.rollout.failure == null && processes.rollout.inProgress.size() < app.settings.rolloutBatch()
        && !processes.rollout.pending.isEmpty()) {
      Instance instance = processes.instances.get(processes.rollout.pending.poll());
      if (instance == null || instance.current == null || instance.incoming != null) {
        continue; // scaled away, or not running: nothing to replace
      }
      processes.rollout.inProgress.add(instance.index);
      replace(instance, "reload", false); // spares run the old code: never use them here
    }
    if (processes.rollout.finished()) {
      Rollout done = processes.rollout;
      processes.rollout = null;
      if (done.failure != null) {
        done.replyTo.tell(OpResult.failed(done.failure));
        return;
      }
      renewSpares();
      done.replyTo.tell(OpResult.ok("reloaded " + done.replaced + " instance(s) of " + app.settings.name()));
    }
  }

  /** After a reload the spares run old code: retire them and start new ones. */
  private void renewSpares() {
    List<ManagedProcess> old = new ArrayList<>(processes.spares);
    processes.spares.clear();
    old.forEach(this::retire);
    for (int i = 0; i < app.settings.spares(); i++) {
      app.context.getSelf().tell(new AppSupervisor.LaunchSpare());
    }
  }

  // ---- restart and scale ---------------------------------------------------------------------

  Behavior<MasterProtocol.Command> onRestart(ActorRef<OpResult> replyTo) {
    for (Instance instance : processes.instances.values()) {
      if (instance.current != null && instance.current.state != ManagedProcess.State.STOPPING) {
        instance.restartRequested = true;
        ManagedProcess p = instance.current;
        if (p.worker != null) {
          app.routing.offline(p.worker, "restart");
        }
        p.state = ManagedProcess.State.STOPPING;
        p.handle.stop(app.settings.killTimeout());
      } else if (instance.current == null && instance.incoming == null) {
        app.timers.cancel("launch-" + instance.index);
        app.context.getSelf().tell(new AppSupervisor.LaunchInstance(instance.index));
      }
    }
    int count = processes.instances.size();
    await(this::allServing, app.settings.killTimeout().plus(app.settings.readyTimeout()), replyTo,
        "restarted " + count + " instance(s) of " + app.settings.name(), "not every instance came back in time");
    return Behaviors.same();
  }

  Behavior<MasterProtocol.Command> onScale(int target, ActorRef<OpResult> replyTo) {
    if (target < 0 || target > app.settings.maxInstances()) {
      replyTo.tell(new OpResult(OpResult.Status.BAD_REQUEST, "instances must be from 0 to max-instances = "
          + app.settings.maxInstances() + ", got " + target));
      return Behaviors.same();
    }
    int before = processes.instanceCount;
    processes.instanceCount = target;
    for (int i = before; i < target; i++) {
      processes.instances.put(i, new Instance(i, app.settings.restart()));
      app.context.getSelf().tell(new AppSupervisor.LaunchInstance(i));
    }
    Set<Long> leaving = new java.util.HashSet<>();
    for (int i = before - 1; i >= target; i--) {
      Instance removed = processes.instances.remove(i);
      app.timers.cancel("launch-" + i);
      if (removed.incoming != null) {
        removed.incoming.handle.kill();
      }
      if (removed.current != null) {
        leaving.add(removed.current.pid);
        retire(removed.current);
      }
    }
    String success = "scaled " + app.settings.name() + " from " + before + " to " + target + " instance(s)";
    Duration deadline = app.settings.readyTimeout().plus(app.settings.killTimeout().multipliedBy(2));
    await(() -> allServing() && processes.all().noneMatch(p -> leaving.contains(p.pid)), deadline, replyTo,
        success, "scaling did not complete in time");
    return Behaviors.same();
  }

  private boolean allServing() {
    return processes.instances.values().stream().allMatch(i -> !i.restartRequested && i.current != null
        && i.current.isReady() && i.current.role == ManagedProcess.Role.CURRENT);
  }

  private void await(BooleanSupplier done, Duration within, ActorRef<OpResult> replyTo, String success,
      String timeout) {
    waiters.add(new Waiter(done, app.clock.instant().plus(within), replyTo, success, timeout));
    checkDeadlines(app.clock.instant());
  }

  /** Answers the operations that are done, and fails those past their deadline. */
  void checkDeadlines(Instant now) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.done().getAsBoolean()) {
        waiter.replyTo().tell(OpResult.ok(waiter.success()));
        it.remove();
      } else if (now.isAfter(waiter.deadline())) {
        waiter.replyTo().tell(OpResult.failed(waiter.timeout() + ": " + describe()));
        it.remove();
      }
    }
  }

  /** The instances not serving yet; a few named, the rest counted, so an error answer stays short. */
  private String describe() {
    List<String> waiting = processes.instances.values().stream()
        .filter(i -> i.current == null || !i.current.isReady() || i.restartRequested)
        .map(i -> app.settings.name() + "-" + i.index + " " + (i.current == null ? i.state : i.current.state))
        .toList();
    String named = waiting.stream().limit(DESCRIBED_INSTANCES).collect(Collectors.joining(", "));
    return waiting.size() <= DESCRIBED_INSTANCES ? named : named + " and " + (waiting.size() - DESCRIBED_INSTANCES)
        + " more";
  }

  /** Fails every pending operation (shutdown). */
  void abandon(String why) {
    waiters.forEach(w -> w.replyTo().tell(OpResult.failed(why)));
    waiters.clear();
    if (processes.rollout != null) {
      processes.rollout.replyTo.tell(OpResult.failed(why));
      processes.rollout = null;
    }
  }

  /** Re-checks pending operations after any change. */
  void changed() {
    checkDeadlines(app.clock.instant());
  }
}
