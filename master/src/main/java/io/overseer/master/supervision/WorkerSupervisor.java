package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import io.overseer.master.launch.ProcessLauncher;
import io.overseer.master.routing.RoutableWorker;
import io.overseer.master.routing.RoutingTable;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Starts the configured worker processes, waits for each one's Ready handshake (with a deadline),
 * keeps the router's table in step with who is ready, and starts a worker again when its process
 * exits. Workers started by hand elsewhere join through the same handshake and are watched, not
 * restarted.
 */
public final class WorkerSupervisor extends AbstractBehavior<MasterProtocol.Command> {

  /** Asks for every worker's current view (the admin API). */
  public record GetWorkers(ActorRef<List<WorkerView>> replyTo) implements MasterProtocol.Internal {}

  /** Stop restarting; replies with the processes to stop (the master is shutting down). */
  public record StopAll(ActorRef<List<LaunchedProcess>> replyTo) implements MasterProtocol.Internal {}

  private record Launch(String workerId) implements MasterProtocol.Internal {}

  private record ProcessExited(String workerId, long pid, int exitCode)
      implements MasterProtocol.Internal {}

  private record ReadyOverdue(String workerId, long pid) implements MasterProtocol.Internal {}

  private record WorkerTerminated(String workerId, ActorRef<WorkerProtocol.Command> worker)
      implements MasterProtocol.Internal {}

  private final WorkerPoolSettings settings;
  private final ProcessLauncher launcher;
  private final RoutingTable routing;
  private final Consumer<Address> downMember;
  private final Clock clock;
  private final TimerScheduler<MasterProtocol.Command> timers;
  private final Map<String, WorkerSlot> slots = new LinkedHashMap<>();
  private boolean stopping;

  /**
   * @param downMember removes a dead worker's node from the cluster at once; the OS told us it is
   *     gone, so there is no reason to wait for the failure detector
   */
  public static Behavior<MasterProtocol.Command> create(
      WorkerPoolSettings settings,
      ProcessLauncher launcher,
      RoutingTable routing,
      Consumer<Address> downMember,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new WorkerSupervisor(
                        context, timers, settings, launcher, routing, downMember, clock)));
  }

  private WorkerSupervisor(
      ActorContext<MasterProtocol.Command> context,
      TimerScheduler<MasterProtocol.Command> timers,
      WorkerPoolSettings settings,
      ProcessLauncher launcher,
      RoutingTable routing,
      Consumer<Address> downMember,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.launcher = launcher;
    this.routing = routing;
    this.downMember = downMember;
    this.clock = clock;
    for (int i = 0; i < settings.instances(); i++) {
      String id = "w" + i;
      slots.put(id, new WorkerSlot(id, true));
      context.getSelf().tell(new Launch(id));
    }
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Launch.class, this::onLaunch)
        .onMessage(MasterProtocol.Ready.class, this::onReady)
        .onMessage(MasterProtocol.StatusReport.class, this::onStatusReport)
        .onMessage(ReadyOverdue.class, this::onReadyOverdue)
        .onMessage(ProcessExited.class, this::onProcessExited)
        .onMessage(WorkerTerminated.class, this::onWorkerTerminated)
        .onMessage(GetWorkers.class, this::onGetWorkers)
        .onMessage(StopAll.class, this::onStopAll)
        .build();
  }

  private Behavior<MasterProtocol.Command> onLaunch(Launch launch) {
    WorkerSlot slot = slots.get(launch.workerId());
    if (slot == null || stopping) {
      return this;
    }
    List<String> argv = settings.argvFor(slot.id);
    try {
      LaunchedProcess process =
          launcher.launch(
              new LaunchSpec(slot.id, argv, Map.of(), settings.logDirectory().resolve(slot.id + ".log")));
      slot.process = process;
      slot.pid = process.pid();
      slot.argv = argv;
      slot.startedAt = clock.instant();
      slot.state = WorkerSlot.State.LAUNCHING;
      slot.worker = null;
      slot.lastReport = null;
      long pid = process.pid();
      getContext().getLog().info("worker {} launched, pid {}", slot.id, pid);
      getContext()
          .pipeToSelf(
              process.onExit(),
              (code, error) -> new ProcessExited(slot.id, pid, code == null ? -1 : code));
      timers.startSingleTimer(readyKey(slot.id), new ReadyOverdue(slot.id, pid), settings.readyTimeout());
    } catch (java.io.IOException | RuntimeException e) {
      getContext().getLog().error("worker {} could not be launched: {}", slot.id, e.toString());
      scheduleRestart(slot);
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onReady(MasterProtocol.Ready ready) {
    WorkerSlot slot = slots.get(ready.workerId());
    if (slot == null) {
      slot = new WorkerSlot(ready.workerId(), false);
      slot.pid = ready.pid();
      slot.startedAt = Instant.ofEpochMilli(ready.startedAtMillis());
      slots.put(slot.id, slot);
      getContext().getLog().info("worker {} (pid {}) joined by hand from {}",
          slot.id, ready.pid(), ready.worker().path().address());
    } else if (slot.pid != ready.pid() || slot.state == WorkerSlot.State.STOPPING) {
      getContext().getLog().warn("Ready from {} pid {} ignored: expected pid {} in state {}",
          ready.workerId(), ready.pid(), slot.pid, slot.state);
      return this;
    }
    ready.worker().tell(new WorkerProtocol.Registered(getContext().getSelf()));
    if (slot.state == WorkerSlot.State.ONLINE && ready.worker().equals(slot.worker)) {
      return this; // a repeated Ready whose acknowledgement crossed it
    }
    timers.cancel(readyKey(slot.id));
    slot.state = WorkerSlot.State.ONLINE;
    slot.worker = ready.worker();
    slot.argv = ready.argv();
    slot.version = ready.version();
    getContext().watchWith(ready.worker(), new WorkerTerminated(slot.id, ready.worker()));
    routing.online(new RoutableWorker(slot.id, slot.pid, ready.worker()));
    getContext().getLog().info("worker {} (pid {}) is ready", slot.id, slot.pid);
    return this;
  }

  private Behavior<MasterProtocol.Command> onStatusReport(MasterProtocol.StatusReport report) {
    WorkerSlot slot = slots.get(report.workerId());
    if (slot != null && slot.pid == report.pid()) {
      slot.lastReport = report;
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onReadyOverdue(ReadyOverdue overdue) {
    WorkerSlot slot = slots.get(overdue.workerId());
    if (slot != null && slot.pid == overdue.pid() && slot.state == WorkerSlot.State.LAUNCHING) {
      getContext().getLog().warn("worker {} (pid {}) sent no Ready within {}; killing it",
          slot.id, slot.pid, settings.readyTimeout());
      slot.process.kill();
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onProcessExited(ProcessExited exited) {
    WorkerSlot slot = slots.get(exited.workerId());
    if (slot == null || slot.pid != exited.pid()) {
      return this; // an older process of this slot
    }
    getContext().getLog().info("worker {} (pid {}) exited with code {}",
        slot.id, exited.pid(), exited.exitCode());
    slot.lastExitCode = exited.exitCode();
    timers.cancel(readyKey(slot.id));
    routing.offline(slot.id, "process exited with code " + exited.exitCode());
    if (slot.worker != null) {
      getContext().unwatch(slot.worker);
      downMember.accept(slot.worker.path().address());
      slot.worker = null;
    }
    if (stopping || slot.state == WorkerSlot.State.STOPPING) {
      slot.state = WorkerSlot.State.STOPPED;
      return this;
    }
    scheduleRestart(slot);
    return this;
  }

  private void scheduleRestart(WorkerSlot slot) {
    slot.state = WorkerSlot.State.WAITING;
    slot.restarts++;
    timers.startSingleTimer(launchKey(slot.id), new Launch(slot.id), settings.restartDelay());
  }

  private Behavior<MasterProtocol.Command> onWorkerTerminated(WorkerTerminated terminated) {
    WorkerSlot slot = slots.get(terminated.workerId());
    if (slot == null || !terminated.worker().equals(slot.worker)) {
      return this;
    }
    routing.offline(slot.id, "left the cluster");
    slot.worker = null;
    if (!slot.managed) {
      getContext().getLog().info("worker {} (joined by hand) left the cluster", slot.id);
      slots.remove(slot.id);
    } else if (slot.process != null && slot.state == WorkerSlot.State.ONLINE) {
      // Its node is gone but its process is not: a broken worker. Kill it; the exit restarts it.
      getContext().getLog().warn("worker {} (pid {}) left the cluster; killing it", slot.id, slot.pid);
      slot.state = WorkerSlot.State.LAUNCHING;
      slot.process.kill();
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onGetWorkers(GetWorkers get) {
    Instant now = clock.instant();
    get.replyTo().tell(slots.values().stream().map(slot -> slot.view(now)).toList());
    return this;
  }

  private Behavior<MasterProtocol.Command> onStopAll(StopAll stop) {
    stopping = true;
    List<LaunchedProcess> processes = new ArrayList<>();
    for (WorkerSlot slot : slots.values()) {
      routing.offline(slot.id, "master shutting down");
      timers.cancel(launchKey(slot.id));
      if (slot.managed && slot.process != null && slot.state != WorkerSlot.State.STOPPED) {
        slot.state = WorkerSlot.State.STOPPING;
        processes.add(slot.process);
      }
    }
    stop.replyTo().tell(processes);
    return this;
  }

  private static String readyKey(String workerId) {
    return "ready-" + workerId;
  }

  private static String launchKey(String workerId) {
    return "launch-" + workerId;
  }
}
