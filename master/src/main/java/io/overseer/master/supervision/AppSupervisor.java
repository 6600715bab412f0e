package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * Supervises one app, OTP-style: starts its instances (and spares), completes each worker's Ready
 * handshake with a deadline, and restarts exited processes as their {@link Instance} decides (the
 * starts and exits themselves in {@link InstanceLifecycle}). The rest is delegated to parts with
 * their own state, each given the narrow {@link AppScope}: {@link AppHealth} (pings, samples,
 * memory limit, reachability), {@link Replacement} (drain-and-replace), {@link RollingReload}
 * (reload) and {@link AppCommands} (restart, scale). The app's state is an {@link AppProcesses}
 * owned by the parent, so a restart of this actor re-adopts it ({@link AppReconciler}).
 *
 * <p>Timers are keyed by {@link TimerKey}: one type per purpose.
 */
public final class AppSupervisor extends AbstractBehavior<MasterProtocol.Command> {

  /** Rolling reload: each instance is replaced by a new process that must be ready first. */
  public record Reload(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Stop and start every instance (may drop requests; for contrast with reload). */
  public record Restart(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Change the number of instances; scaling down drains first. */
  public record Scale(int instances, ActorRef<OpResult> replyTo)
      implements MasterProtocol.Internal {}

  /** Stop restarting and hand over every local process to be stopped (master shutdown). */
  public record StopAll(ActorRef<Stopped> replyTo) implements MasterProtocol.Internal {}

  /** The answer to {@link StopAll}: the app's local processes, for the caller to stop. */
  public record Stopped(List<LaunchedProcess> processes) {}

  /** Published to the listener after every change. */
  public record Status(AppView view) {}

  /**
   * Makes this actor throw, to show (in tests) that its supervision re-adopts the app's processes.
   * Sent only by the admin API's fault-injection endpoint, which exists only when {@code
   * overseer.admin.fault-injection = on} (off by default); no other code sends it.
   */
  public record InjectFailure(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  record LaunchInstance(int index) implements MasterProtocol.Internal {}

  enum LaunchSpare implements MasterProtocol.Internal {
    INSTANCE
  }

  record ProcessExited(long pid, int exitCode) implements MasterProtocol.Internal {}

  record ReadyOverdue(long pid) implements MasterProtocol.Internal {}

  record WorkerTerminated(ActorRef<WorkerProtocol.Command> worker)
      implements MasterProtocol.Internal {}

  record Drained(long pid) implements MasterProtocol.Internal {}

  record Reachability(ClusterEvent.ReachabilityEvent event) implements MasterProtocol.Internal {}

  enum Tick implements MasterProtocol.Internal {
    INSTANCE
  }

  private final AppScope scope;
  private final AppSettings settings;
  private final AppProcesses processes;
  private final ActorRef<Status> listener;
  private final Replacement replacement;
  private final RollingReload reload;
  private final AppCommands commands;
  private final InstanceCommands instanceCommands;
  private final AppHealth health;
  private final InstanceLifecycle lifecycle;

  /**
   * The app's supervisor, itself supervised: an exception in it restarts the behaviour (at most
   * {@code limit.maxRestarts()} times within {@code limit.window()}), and the new incarnation
   * re-adopts every process recorded in {@code processes} without starting or stopping any (see
   * {@link AppReconciler}). Past the limit, or if re-adopting fails, the actor stops with its
   * failure and its parent ends the master (an app nobody supervises must not look healthy).
   *
   * @param processes the app's state, created by the parent so that it survives a restart
   * @param routing the app's router; for a command app one that routes nothing
   * @param runDirectory where workers leave the reason of an uncaught-exception exit
   */
  public static Behavior<MasterProtocol.Command> create(
      AppSettings settings,
      AppProcesses processes,
      ProcessLauncher launcher,
      RoutingTable routing,
      ClusterMembership cluster,
      Clock clock,
      Path runDirectory,
      ActorRef<Status> listener,
      SupervisionSettings.RestartLimit limit) {
    Behavior<MasterProtocol.Command> behavior =
        Behaviors.setup(
            context -> {
              // One name for everything this actor logs, Pekko's report of its failures included
              // (otherwise named after whichever class first asked for the log).
              context.setLoggerName(AppSupervisor.class);
              return Behaviors.withTimers(
                  timers ->
                      new AppSupervisor(
                          new AppScope(
                              settings,
                              context,
                              timers,
                              launcher,
                              routing,
                              cluster,
                              clock,
                              runDirectory),
                          processes,
                          listener));
            });
    // RuntimeException only: AppReconciler.Failed (checked) is not retried, it stops the actor.
    return Behaviors.supervise(behavior)
        .onFailure(
            RuntimeException.class,
            SupervisorStrategy.restart().withLimit(limit.maxRestarts(), limit.window()));
  }

  private AppSupervisor(AppScope scope, AppProcesses processes, ActorRef<Status> listener)
      throws AppReconciler.Failed {
    super(scope.context());
    this.scope = scope;
    this.settings = scope.settings();
    this.processes = processes;
    this.listener = listener;
    this.replacement = new Replacement(scope, processes);
    this.reload = new RollingReload(scope, processes, replacement);
    replacement.reportTo(reload);
    this.commands = new AppCommands(scope, processes, replacement);
    this.instanceCommands = new InstanceCommands(scope, processes, replacement);
    this.health = new AppHealth(scope, processes, replacement);
    this.lifecycle = new InstanceLifecycle(scope, processes, replacement);
    if (!processes.started()) {
      processes
          .firstStart(settings.instances(), settings.restart())
          .forEach(instance -> scope.self().tell(new LaunchInstance(instance.index())));
      for (int i = 0; i < settings.spares(); i++) {
        scope.self().tell(LaunchSpare.INSTANCE);
      }
    } else {
      new AppReconciler(scope, processes).readopt();
      published(this); // the view as re-adopted, and any operation the lost message completed
    }
    // A restart cancels every timer and a subscription is per subscriber: both are (re)made here.
    scope
        .timers()
        .startTimerWithFixedDelay(
            TimerKey.HealthRound.INSTANCE, Tick.INSTANCE, settings.pingInterval());
    if (settings.routable()) {
      scope
          .cluster()
          .subscribeToReachability(
              scope
                  .context()
                  .messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new));
    }
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LaunchInstance.class, m -> published(onLaunchInstance(m)))
        .onMessageEquals(LaunchSpare.INSTANCE, () -> published(onLaunchSpare()))
        .onMessage(MasterProtocol.Ready.class, m -> published(onReady(m)))
        .onMessage(MasterProtocol.Pong.class, m -> published(onPong(m)))
        .onMessage(ReadyOverdue.class, m -> published(onReadyOverdue(m)))
        .onMessage(ProcessExited.class, m -> published(onProcessExited(m)))
        .onMessage(WorkerTerminated.class, m -> published(onWorkerTerminated(m)))
        .onMessage(Drained.class, m -> published(onDrained(m)))
        .onMessageEquals(Tick.INSTANCE, () -> published(onTick()))
        .onMessage(Reachability.class, m -> published(onReachability(m)))
        .onMessage(Reload.class, m -> published(onReload(m)))
        .onMessage(Restart.class, m -> published(onRestart(m)))
        .onMessage(Scale.class, m -> published(onScale(m)))
        .onMessage(InstanceCommands.Run.class, m -> published(onInstanceCommand(m)))
        .onMessage(StopAll.class, m -> published(onStopAll(m)))
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .build();
  }

  /** After every message: answer the commands now done, and tell the parent how the app looks. */
  private Behavior<MasterProtocol.Command> published(Behavior<MasterProtocol.Command> next) {
    commands.answerDone();
    listener.tell(new Status(AppViews.of(settings, processes, scope.now())));
    return next;
  }

  // ---- the Ready handshake -------------------------------------------------------------------

  private Behavior<MasterProtocol.Command> onReady(MasterProtocol.Ready ready) {
    var known =
        processes
            .byWorker(ready.worker())
            .or(() -> processes.byPid(ready.pid()).filter(p -> p.id().equals(ready.workerId())));
    if (known.isPresent() && known.get().state() != ManagedProcess.State.LAUNCHING) {
      ready.worker().tell(new WorkerProtocol.Registered(scope.self())); // a repeat; ours crossed it
      rewatch(known.get(), ready.worker());
      reroute(known.get());
      return this;
    }
    ManagedProcess process = known.orElseGet(() -> joinedByHand(ready));
    if (process.role() == ManagedProcess.Role.RETIRING || processes.stopping()) {
      return this;
    }
    scope.timers().cancel(new TimerKey.ReadyDeadline(process.pid()));
    process.becameReady(ready, scope.now());
    ready.worker().tell(new WorkerProtocol.Registered(scope.self()));
    scope.context().watchWith(ready.worker(), new WorkerTerminated(ready.worker()));
    scope.log().info("{} (pid {}) is ready", process.id(), process.pid());
    switch (process.role()) {
      case CURRENT, EXTERNAL -> scope.route(process);
      case INCOMING -> replacement.takeOver(processes.instance(process.instance()), process);
      default -> {} // a spare waits, ready and unrouted
    }
    return this;
  }

  /**
   * A ready worker that announces itself again (after a gap, or a repeat that crossed our answer)
   * is reachable and wants work: routed again if it should be, so that no worker is left alive,
   * reachable and unrouted whatever event was missed. Routing a routed worker changes nothing.
   */
  private void reroute(ManagedProcess process) {
    boolean routable =
        process.role() == ManagedProcess.Role.CURRENT
            || process.role() == ManagedProcess.Role.EXTERNAL;
    if (routable && process.isReady() && !processes.stopping()) {
      scope.route(process);
    }
  }

  /**
   * Watches the worker again. A worker announces itself before its node is a cluster member (it is
   * routable sooner) and once more when it is Up; Pekko drops a death watch on a node that is not
   * Up yet, so the watch made at its first Ready may be gone. Unwatched first: a second watch of a
   * watched actor sends nothing.
   */
  private void rewatch(ManagedProcess process, ActorRef<WorkerProtocol.Command> worker) {
    if (worker.equals(process.worker())) {
      scope.context().unwatch(worker);
      scope.context().watchWith(worker, new WorkerTerminated(worker));
    }
  }

  private ManagedProcess joinedByHand(MasterProtocol.Ready ready) {
    ManagedProcess process = ManagedProcess.joinedByHand(ready);
    processes.addExternal(process);
    scope
        .log()
        .info(
            "{} (pid {}) joined by hand from {}",
            ready.workerId(),
            ready.pid(),
            ready.worker().path().address());
    return process;
  }

  // ---- delegated -----------------------------------------------------------------------------

  private Behavior<MasterProtocol.Command> onLaunchInstance(LaunchInstance launch) {
    lifecycle.launchInstance(launch.index());
    return this;
  }

  private Behavior<MasterProtocol.Command> onLaunchSpare() {
    lifecycle.launchSpare();
    return this;
  }

  private Behavior<MasterProtocol.Command> onReadyOverdue(ReadyOverdue overdue) {
    lifecycle.readyOverdue(overdue.pid());
    return this;
  }

  private Behavior<MasterProtocol.Command> onProcessExited(ProcessExited exited) {
    lifecycle.exited(exited.pid(), exited.exitCode());
    return this;
  }

  private Behavior<MasterProtocol.Command> onWorkerTerminated(WorkerTerminated terminated) {
    lifecycle.workerTerminated(terminated.worker());
    return this;
  }

  private Behavior<MasterProtocol.Command> onPong(MasterProtocol.Pong pong) {
    health.onPong(pong);
    return this;
  }

  private Behavior<MasterProtocol.Command> onTick() {
    health.onRound();
    return this;
  }

  private Behavior<MasterProtocol.Command> onReachability(Reachability reachability) {
    health.onReachability(reachability.event());
    return this;
  }

  private Behavior<MasterProtocol.Command> onDrained(Drained drained) {
    replacement.onDrained(drained.pid());
    return this;
  }

  private Behavior<MasterProtocol.Command> onReload(Reload command) {
    reload.onReload(command.replyTo());
    return this;
  }

  private Behavior<MasterProtocol.Command> onRestart(Restart command) {
    commands.restart(command.replyTo());
    return this;
  }

  private Behavior<MasterProtocol.Command> onScale(Scale command) {
    commands.scale(command.instances(), command.replyTo());
    return this;
  }

  private Behavior<MasterProtocol.Command> onInstanceCommand(InstanceCommands.Run command) {
    instanceCommands.run(command);
    return this;
  }

  // ---- the end -------------------------------------------------------------------------------

  private Behavior<MasterProtocol.Command> onInjectFailure(InjectFailure inject) {
    inject
        .replyTo()
        .tell(OpResult.ok("failure injected into the supervisor of " + settings.name()));
    throw new IllegalStateException(
        "failure injected into the supervisor of "
            + settings.name()
            + " (overseer.admin.fault-injection)");
  }

  private Behavior<MasterProtocol.Command> onStopAll(StopAll stop) {
    processes.stop();
    List<LaunchedProcess> handles = new ArrayList<>();
    processes
        .all()
        .forEach(
            p -> {
              if (p.worker() != null) {
                scope.routing().drain(p.worker());
              }
              if (p.local()) {
                p.stopping();
                handles.add(p.handle());
              }
            });
    commands.abandon("the master is shutting down");
    reload.abandon("the master is shutting down");
    stop.replyTo().tell(new Stopped(List.copyOf(handles)));
    return this;
  }
}
