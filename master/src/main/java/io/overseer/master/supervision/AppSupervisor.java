package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * Supervises one app, OTP-style: starts its instances (and spares), completes each worker's Ready
 * handshake with a deadline, pings workers for liveness, replaces a process over its memory limit
 * after draining it, restarts exited processes by the app's {@link RestartPolicy}, and runs
 * reload, restart and scale. Lifecycle steps that span processes live in {@link AppOperations}.
 */
public final class AppSupervisor extends AbstractBehavior<MasterProtocol.Command> {

  /** Rolling reload: each instance is replaced by a new process that must be ready first. */
  public record Reload(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Stop and start every instance (may drop requests; for contrast with reload). */
  public record Restart(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Change the number of instances; scaling down drains first. */
  public record Scale(int instances, ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Stop restarting and hand over every local process to be stopped (master shutdown). */
  public record StopAll(ActorRef<List<LaunchedProcess>> replyTo) implements MasterProtocol.Internal {}

  /** Published to the listener after every change. */
  public record Status(AppView view) {}

  /**
   * Makes this actor throw, to show (in tests) that its supervision re-adopts the app's processes.
   * Sent only by the admin API's fault-injection endpoint, which exists only when
   * {@code overseer.admin.fault-injection = on} (off by default); no other code sends it.
   */
  public record InjectFailure(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  record LaunchInstance(int index) implements MasterProtocol.Internal {}

  record LaunchSpare() implements MasterProtocol.Internal {}

  record ProcessExited(long pid, int exitCode) implements MasterProtocol.Internal {}

  record ReadyOverdue(long pid) implements MasterProtocol.Internal {}

  record WorkerTerminated(ActorRef<WorkerProtocol.Command> worker) implements MasterProtocol.Internal {}

  record Drained(long pid) implements MasterProtocol.Internal {}

  record Reachability(ClusterEvent.ReachabilityEvent event) implements MasterProtocol.Internal {}

  enum Tick implements MasterProtocol.Internal { INSTANCE }

  final AppSettings settings;
  final ActorContext<MasterProtocol.Command> context;
  final TimerScheduler<MasterProtocol.Command> timers;
  final ProcessLauncher launcher;
  final RoutingTable routing;
  final ClusterMembership cluster;
  final Clock clock;
  final Path runDirectory;
  final AppProcesses processes;
  private final ActorRef<Status> listener;
  private final AppOperations operations;
  private final AppHealth health;

  /**
   * The app's supervisor, itself supervised: an exception in it restarts the behaviour (at most
   * {@code limit.maxRestarts()} times within {@code limit.window()}), and the new incarnation
   * re-adopts every process recorded in {@code processes} without starting or stopping any (see
   * {@link AppReconciler}). Past the limit, or if re-adopting fails, the actor stops with its
   * failure and its parent ends the master (an app nobody supervises must not look healthy).
   * @param processes the app's state, created by the parent so that it survives a restart
   * @param routing the app's router; for a command app one that routes nothing
   * @param runDirectory where workers leave the reason of an uncaught-exception exit
   */
  public static Behavior<MasterProtocol.Command> create(AppSettings settings, AppProcesses processes,
      ProcessLauncher launcher, RoutingTable routing, ClusterMembership cluster, Clock clock, Path runDirectory,
      ActorRef<Status> listener, SupervisionSettings.RestartLimit limit) {
    Behavior<MasterProtocol.Command> behavior = Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new AppSupervisor(context, timers, settings, processes, launcher, routing, cluster, clock, runDirectory,
            listener)));
    // RuntimeException only: AppReconciler.Failed (checked) is not retried, it stops the actor.
    return Behaviors.supervise(behavior).onFailure(RuntimeException.class,
        SupervisorStrategy.restart().withLimit(limit.maxRestarts(), limit.window()));
  }

  private AppSupervisor(ActorContext<MasterProtocol.Command> context, TimerScheduler<MasterProtocol.Command> timers,
      AppSettings settings, AppProcesses processes, ProcessLauncher launcher, RoutingTable routing,
      ClusterMembership cluster, Clock clock, Path runDirectory, ActorRef<Status> listener)
      throws AppReconciler.Failed {
    super(context);
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.processes = processes;
    this.launcher = launcher;
    this.routing = routing;
    this.cluster = cluster;
    this.clock = clock;
    this.runDirectory = runDirectory;
    this.listener = listener;
    this.operations = new AppOperations(this);
    this.health = new AppHealth(this, operations);
    if (!processes.started) {
      processes.started = true;
      processes.instanceCount = settings.instances();
      for (int i = 0; i < processes.instanceCount; i++) {
        processes.instances.put(i, new Instance(i, settings.restart()));
        context.getSelf().tell(new LaunchInstance(i));
      }
      for (int i = 0; i < settings.spares(); i++) {
        context.getSelf().tell(new LaunchSpare());
      }
    } else {
      new AppReconciler(this).readopt();
      published(this); // the view as re-adopted, and any operation the lost message completed
    }
    // A restart cancels every timer and a subscription is per subscriber: both are (re)made here.
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.pingInterval());
    if (settings.routable()) {
      cluster.subscribeToReachability(
          context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new));
    }
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LaunchInstance.class, m -> published(onLaunchInstance(m)))
        .onMessage(LaunchSpare.class, m -> published(onLaunchSpare()))
        .onMessage(MasterProtocol.Ready.class, m -> published(onReady(m)))
        .onMessage(MasterProtocol.Pong.class, m -> published(onPong(m)))
        .onMessage(ReadyOverdue.class, m -> published(onReadyOverdue(m)))
        .onMessage(ProcessExited.class, m -> published(onProcessExited(m)))
        .onMessage(WorkerTerminated.class, m -> published(onWorkerTerminated(m)))
        .onMessage(Drained.class, m -> published(operations.onDrained(m.pid())))
        .onMessageEquals(Tick.INSTANCE, () -> published(health.onTick()))
        .onMessage(Reachability.class, m -> published(health.onReachability(m.event())))
        .onMessage(Reload.class, m -> published(operations.onReload(m.replyTo())))
        .onMessage(Restart.class, m -> published(operations.onRestart(m.replyTo())))
        .onMessage(Scale.class, m -> published(operations.onScale(m.instances(), m.replyTo())))
        .onMessage(StopAll.class, m -> published(onStopAll(m)))
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .build();
  }

  private Behavior<MasterProtocol.Command> published(Behavior<MasterProtocol.Command> next) {
    operations.changed();
    Instant now = clock.instant();
    listener.tell(new Status(new AppView(settings.name(), settings.mode().name().toLowerCase(Locale.ROOT),
        processes.instanceCount, settings.spares(), processes.appState(), processes.views(settings, now))));
    return next;
  }

  private Behavior<MasterProtocol.Command> onLaunchInstance(LaunchInstance launch) {
    Instance instance = processes.instances.get(launch.index());
    if (instance == null || processes.stopping || instance.current != null) {
      return this;
    }
    instance.state = Instance.State.ACTIVE;
    instance.nextAttemptAt = null;
    try {
      instance.current = launch(settings.name() + "-" + instance.index, ManagedProcess.Role.CURRENT, instance.index);
      instance.launched(instance.current.startedAt);
    } catch (java.io.IOException | RuntimeException e) {
      context.getLog().error("{}-{} could not be launched: {}", settings.name(), instance.index, e.toString());
      instance.lastExitReason = "launch failed: " + e.getMessage();
      afterExit(instance, -1, Duration.ZERO);
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onLaunchSpare() {
    if (processes.stopping || processes.spares.size() >= settings.spares()) {
      return this;
    }
    try {
      processes.spares.add(launch(settings.name() + "-spare-" + processes.spareSequence++, ManagedProcess.Role.SPARE,
          processes.instanceCount + processes.spares.size()));
    } catch (java.io.IOException | RuntimeException e) {
      context.getLog().error("a spare of {} could not be launched: {}", settings.name(), e.toString());
      timers.startSingleTimer("spare", new LaunchSpare(), settings.restart().backoffMax());
    }
    return this;
  }

  /** Starts one process; a worker is not routed until its Ready arrives, a command is at once. */
  ManagedProcess launch(String processId, ManagedProcess.Role role, int instanceNumber) throws java.io.IOException {
    LaunchSpec spec = settings.launch().specFor(processId, instanceNumber, exitReasonFile(processId));
    LaunchedProcess handle = launcher.launch(spec);
    ManagedProcess process = new ManagedProcess(processId, role, instanceNumber, true);
    process.handle = handle;
    process.pid = handle.pid();
    process.argv = spec.argv();
    process.startedAt = clock.instant();
    long pid = handle.pid();
    context.pipeToSelf(handle.onExit(), (code, error) -> new ProcessExited(pid, code == null ? -1 : code));
    context.getLog().info("{} launched, pid {} ({})", processId, pid, role.name().toLowerCase(Locale.ROOT));
    if (settings.routable()) {
      timers.startSingleTimer("ready-" + pid, new ReadyOverdue(pid), settings.readyTimeout());
    } else {
      process.state = ManagedProcess.State.ONLINE; // a command has no handshake: running is ready
      process.lastSeen = process.startedAt;
    }
    return process;
  }

  Path exitReasonFile(String processId) {
    return runDirectory.resolve(processId + ".exit-reason");
  }

  private Behavior<MasterProtocol.Command> onReady(MasterProtocol.Ready ready) {
    var known = processes.byWorker(ready.worker())
        .or(() -> processes.byPid(ready.pid()).filter(p -> p.id.equals(ready.workerId())));
    if (known.isPresent() && known.get().state != ManagedProcess.State.LAUNCHING) {
      ready.worker().tell(new WorkerProtocol.Registered(context.getSelf())); // a repeat; ours crossed it
      return this;
    }
    ManagedProcess process = known.orElseGet(() -> joinedByHand(ready));
    if (process.role == ManagedProcess.Role.RETIRING || processes.stopping) {
      return this;
    }
    timers.cancel("ready-" + process.pid);
    process.worker = ready.worker();
    process.argv = ready.argv();
    process.version = ready.version();
    process.state = ManagedProcess.State.ONLINE;
    process.lastSeen = clock.instant();
    ready.worker().tell(new WorkerProtocol.Registered(context.getSelf()));
    context.watchWith(ready.worker(), new WorkerTerminated(ready.worker()));
    context.getLog().info("{} (pid {}) is ready", process.id, process.pid);
    switch (process.role) {
      case CURRENT, EXTERNAL -> route(process);
      case INCOMING -> operations.takeOver(processes.instances.get(process.instance), process);
      default -> { } // a spare waits, ready and unrouted
    }
    return this;
  }

  private ManagedProcess joinedByHand(MasterProtocol.Ready ready) {
    ManagedProcess process = new ManagedProcess(ready.workerId(), ManagedProcess.Role.EXTERNAL, -1, false);
    process.pid = ready.pid();
    process.startedAt = Instant.ofEpochMilli(ready.startedAtMillis());
    processes.external.add(process);
    context.getLog().info("{} (pid {}) joined by hand from {}", ready.workerId(), ready.pid(),
        ready.worker().path().address());
    return process;
  }

  void route(ManagedProcess process) {
    routing.online(new RoutableWorker(process.id, process.pid, process.worker));
  }

  private Behavior<MasterProtocol.Command> onPong(MasterProtocol.Pong pong) {
    processes.all().filter(p -> p.pid == pong.pid() && p.id.equals(pong.workerId())).findFirst().ifPresent(p -> {
      p.lastSeen = clock.instant();
      p.heapUsedBytes = pong.heapUsedBytes();
      p.heapMaxBytes = pong.heapMaxBytes();
      p.inFlight = pong.inFlight();
      if (!p.local || p.lastSample == null) {
        p.rssBytes = pong.rssBytes();
      }
      health.checkMemory(p);
    });
    return this;
  }

  private Behavior<MasterProtocol.Command> onReadyOverdue(ReadyOverdue overdue) {
    processes.byPid(overdue.pid()).filter(p -> p.state == ManagedProcess.State.LAUNCHING).ifPresent(p -> {
      context.getLog().warn("{} (pid {}) sent no Ready within {}; killing it", p.id, p.pid, settings.readyTimeout());
      p.handle.kill();
    });
    return this;
  }

  private Behavior<MasterProtocol.Command> onProcessExited(ProcessExited exited) {
    var found = processes.byPid(exited.pid());
    if (found.isEmpty()) {
      return this;
    }
    ManagedProcess process = found.get();
    timers.cancel("ready-" + process.pid);
    String reason = ExitReason.describe(exited.exitCode(), exitReasonFile(process.id));
    if (process.worker != null) {
      routing.offline(process.worker, reason);
      context.unwatch(process.worker);
      cluster.down(process.worker.path().address());
    }
    context.getLog().info("{} (pid {}) exited: {}", process.id, process.pid, reason);
    Duration uptime = Duration.between(process.startedAt, clock.instant());
    switch (process.role) {
      case RETIRING -> operations.retired(process);
      case SPARE -> {
        processes.spares.remove(process);
        timers.startSingleTimer("spare", new LaunchSpare(), settings.restart().backoffInitial());
      }
      case INCOMING -> operations.incomingFailed(process, reason);
      case CURRENT -> {
        Instance instance = processes.instances.get(process.instance);
        instance.current = null;
        instance.lastExitCode = exited.exitCode();
        instance.lastExitReason = reason;
        afterExit(instance, exited.exitCode(), uptime);
      }
      default -> processes.external.remove(process);
    }
    return this;
  }

  /** Applies the restart policy to an instance that just lost its process. */
  private void afterExit(Instance instance, int exitCode, Duration uptime) {
    if (processes.stopping || instance.incoming != null) {
      return; // shutting down, or a replacement already on its way takes over
    }
    if (instance.restartRequested) {
      instance.restartRequested = false;
      context.getSelf().tell(new LaunchInstance(instance.index));
      return;
    }
    Instant now = clock.instant();
    RestartPolicy.Decision decision = instance.tracker.onExit(exitCode, uptime, now);
    if (decision instanceof RestartPolicy.Done done) {
      instance.state = Instance.State.STOPPED;
      context.getLog().info("{}-{} stays stopped: {}", settings.name(), instance.index, done.why());
    } else if (decision instanceof RestartPolicy.Errored errored) {
      instance.state = Instance.State.ERRORED;
      instance.nextAttemptAt = now.plus(errored.probeAfter());
      context.getLog().error("{}-{} is errored: more than {} restarts within {}; next attempt in {}",
          settings.name(), instance.index, settings.restart().maxRestarts(), settings.restart().window(),
          errored.probeAfter());
      timers.startSingleTimer("launch-" + instance.index, new LaunchInstance(instance.index), errored.probeAfter());
    } else if (decision instanceof RestartPolicy.Restart restart) {
      instance.restarts++;
      if (operations.promoteSpare(instance)) {
        return;
      }
      instance.state = Instance.State.WAITING;
      instance.nextAttemptAt = now.plus(restart.delay());
      timers.startSingleTimer("launch-" + instance.index, new LaunchInstance(instance.index), restart.delay());
    }
  }

  private Behavior<MasterProtocol.Command> onWorkerTerminated(WorkerTerminated terminated) {
    processes.byWorker(terminated.worker()).ifPresent(p -> {
      routing.offline(p.worker, "left the cluster");
      if (!p.local) {
        context.getLog().info("{} (joined by hand) left the cluster", p.id);
        processes.external.remove(p);
      } else if (p.state != ManagedProcess.State.STOPPING) {
        // Its node is gone but its process is not: a broken worker. Kill it; the exit restarts it.
        context.getLog().warn("{} (pid {}) left the cluster; killing it", p.id, p.pid);
        p.handle.kill();
      }
    });
    return this;
  }

  private Behavior<MasterProtocol.Command> onInjectFailure(InjectFailure inject) {
    inject.replyTo().tell(OpResult.ok("failure injected into the supervisor of " + settings.name()));
    throw new IllegalStateException("failure injected into the supervisor of " + settings.name()
        + " (overseer.admin.fault-injection)");
  }

  private Behavior<MasterProtocol.Command> onStopAll(StopAll stop) {
    processes.stopping = true;
    List<LaunchedProcess> handles = new ArrayList<>();
    processes.all().forEach(p -> {
      if (p.worker != null) {
        routing.drain(p.worker);
      }
      if (p.local) {
        p.state = ManagedProcess.State.STOPPING;
        handles.add(p.handle);
      }
    });
    operations.abandon("the master is shutting down");
    stop.replyTo().tell(handles);
    return this;
  }
}
