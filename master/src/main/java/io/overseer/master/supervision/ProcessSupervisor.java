package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.MasterProtocol;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The root of supervision, at the well-known path workers announce themselves to: one {@link
 * AppSupervisor} child per app, Ready handshakes forwarded to the right one, admin commands
 * dispatched by app name, and the latest view of every app kept for the admin API.
 *
 * <p>It watches every app supervisor. Those restart themselves after an exception (see {@link
 * AppSupervisor#create}); one that stops anyway (past its restart limit, or unable to re-adopt its
 * processes) leaves an app nobody supervises, so this actor reports it to {@code onFatal}, which
 * ends the master with a non-zero exit code after stopping every process (the dead app's too: its
 * {@link AppProcesses} is still here).
 */
public final class ProcessSupervisor extends AbstractBehavior<MasterProtocol.Command> {

  /** Every app with its processes. */
  public record GetApps(ActorRef<List<AppView>> replyTo) implements MasterProtocol.Internal {}

  /** An operation on one app by name. */
  public record AppCommand(
      String app,
      Function<ActorRef<OpResult>, MasterProtocol.Command> command,
      ActorRef<OpResult> replyTo)
      implements MasterProtocol.Internal {}

  /**
   * restart, stop or start of one instance by its id ({@code web-0}; on an agent {@code web-0@h2}),
   * handed to its app's supervisor.
   */
  public record ProcessCommand(
      String process, ProcessOperation operation, ActorRef<OpResult> replyTo)
      implements MasterProtocol.Internal {}

  /** Shutdown: every app stops restarting; replies with every local process to stop. */
  public record StopAll(ActorRef<List<LaunchedProcess>> replyTo)
      implements MasterProtocol.Internal {}

  /**
   * {@code scale APP N}, checked against the app's {@code max-instances} and the host's {@code
   * overseer.supervision.max-local-processes} before the app is asked.
   */
  public record Scale(String app, int instances, ActorRef<OpResult> replyTo)
      implements MasterProtocol.Internal {}

  /**
   * Makes this actor throw (it is not restarted: the master then stops). Sent only by the admin
   * API's fault-injection endpoint, which exists only with {@code overseer.admin.fault-injection =
   * on}.
   */
  public record InjectFailure(ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  private record AppChanged(AppView view) implements MasterProtocol.Internal {}

  private record AppStopped(List<LaunchedProcess> processes) implements MasterProtocol.Internal {}

  /** The live app supervisors; one that stopped is removed, its state kept in {@link #states}. */
  private final Map<String, ActorRef<MasterProtocol.Command>> apps = new LinkedHashMap<>();

  private final Map<String, AppProcesses> states = new LinkedHashMap<>();
  private final Map<String, AppSettings> settings = new LinkedHashMap<>();
  private final int maxLocalProcesses;
  private final Consumer<String> onFatal;
  private boolean stopping;
  private final Map<String, AppView> views = new LinkedHashMap<>();
  private final String defaultWorkerApp;
  private final Clock clock;
  private final List<LaunchedProcess> stopped = new ArrayList<>();
  private ActorRef<List<LaunchedProcess>> stopReplyTo;
  private int appsToStop;

  /**
   * Spawns the behaviour of one app, given its state (which outlives it) and its status listener.
   */
  public interface AppFactory {
    Behavior<MasterProtocol.Command> create(
        AppSettings app, AppProcesses state, ActorRef<AppSupervisor.Status> listener);
  }

  /**
   * @param defaultWorkerApp the app of workers that join by hand without naming one
   * @param maxLocalProcesses at most this many processes (instances and spares of every app) on
   *     this host; a scale beyond it is refused
   * @param onFatal called once when an app is left unsupervised (its supervisor stopped for good),
   *     with the reason; the master's answer is to stop everything and exit non-zero
   */
  public static Behavior<MasterProtocol.Command> create(
      List<AppSettings> apps,
      String defaultWorkerApp,
      AppFactory factory,
      Clock clock,
      int maxLocalProcesses,
      Consumer<String> onFatal) {
    // Stopped on a failure, as without supervision, but the failure is logged by this actor's own
    // logger (below) rather than by Pekko's classic SupervisorStrategy.
    return Behaviors.supervise(
            Behaviors.setup(
                (ActorContext<MasterProtocol.Command> context) -> {
                  context.setLoggerName(ProcessSupervisor.class);
                  return new ProcessSupervisor(
                      context, apps, defaultWorkerApp, factory, clock, maxLocalProcesses, onFatal);
                }))
        .onFailure(SupervisorStrategy.stop());
  }

  private ProcessSupervisor(
      ActorContext<MasterProtocol.Command> context,
      List<AppSettings> appSettings,
      String defaultWorkerApp,
      AppFactory factory,
      Clock clock,
      int maxLocalProcesses,
      Consumer<String> onFatal) {
    super(context);
    this.defaultWorkerApp = defaultWorkerApp;
    this.clock = clock;
    this.maxLocalProcesses = maxLocalProcesses;
    this.onFatal = onFatal;
    ActorRef<AppSupervisor.Status> listener =
        context.messageAdapter(AppSupervisor.Status.class, status -> new AppChanged(status.view()));
    for (AppSettings app : appSettings) {
      AppProcesses state = new AppProcesses();
      ActorRef<MasterProtocol.Command> child =
          context.spawn(factory.create(app, state, listener), "app-" + app.name());
      context.watch(child);
      apps.put(app.name(), child);
      states.put(app.name(), state);
      settings.put(app.name(), app);
      views.put(
          app.name(),
          new AppView(
              app.name(),
              app.mode().name().toLowerCase(Locale.ROOT),
              app.instances(),
              app.spares(),
              "launching",
              List.of()));
    }
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MasterProtocol.Ready.class, this::onReady)
        .onMessage(AppChanged.class, this::onAppChanged)
        .onMessage(GetApps.class, this::onGetApps)
        .onMessage(AppCommand.class, this::onAppCommand)
        .onMessage(ProcessCommand.class, this::onProcessCommand)
        .onMessage(StopAll.class, this::onStopAll)
        .onMessage(AppStopped.class, this::onAppStopped)
        .onMessage(Scale.class, this::onScale)
        .onMessage(InjectFailure.class, this::onInjectFailure)
        .onSignal(
            ChildFailed.class, failed -> onAppGone(failed.getRef(), failed.getCause().toString()))
        .onSignal(Terminated.class, terminated -> onAppGone(terminated.getRef(), "it stopped"))
        .build();
  }

  private Behavior<MasterProtocol.Command> onReady(MasterProtocol.Ready ready) {
    String app = ready.app().isBlank() ? defaultWorkerApp : ready.app();
    ActorRef<MasterProtocol.Command> target = apps.get(app);
    if (target == null) {
      getContext()
          .getLog()
          .warn(
              "Ready from {} (pid {}) for unknown app '{}' ignored",
              ready.workerId(),
              ready.pid(),
              app);
    } else {
      target.tell(ready);
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onAppChanged(AppChanged changed) {
    views.put(changed.view().name(), changed.view());
    return this;
  }

  private Behavior<MasterProtocol.Command> onGetApps(GetApps get) {
    Instant now = clock.instant();
    get.replyTo().tell(views.values().stream().map(view -> withFreshUptimes(view, now)).toList());
    return this;
  }

  /** Views are published on change; uptimes must still be true when they are read. */
  private static AppView withFreshUptimes(AppView view, Instant now) {
    List<ProcessView> processes =
        view.processes().stream()
            .map(
                p ->
                    p.startedAt() == null || p.uptimeMillis() == 0
                        ? p
                        : new ProcessView(
                            p.id(),
                            p.app(),
                            p.mode(),
                            p.instance(),
                            p.managed(),
                            p.pid(),
                            p.state(),
                            p.processId(),
                            p.address(),
                            p.startedAt(),
                            Math.max(
                                0,
                                now.toEpochMilli() - Instant.parse(p.startedAt()).toEpochMilli()),
                            p.restarts(),
                            p.argv(),
                            p.heapUsedBytes(),
                            p.heapMaxBytes(),
                            p.rssBytes(),
                            p.cpuPercent(),
                            p.inFlight(),
                            p.lastExitCode(),
                            p.lastExitReason(),
                            p.version(),
                            p.recentLaunches(),
                            p.nextAttemptAt(),
                            p.host(),
                            p.figures()))
            .toList();
    return new AppView(
        view.name(), view.mode(), view.instances(), view.spares(), view.state(), processes);
  }

  private Behavior<MasterProtocol.Command> onAppCommand(AppCommand command) {
    ActorRef<MasterProtocol.Command> target = apps.get(command.app());
    if (target == null) {
      command
          .replyTo()
          .tell(new OpResult(OpResult.Status.UNKNOWN_APP, "unknown app '" + command.app() + "'"));
    } else {
      target.tell(command.command().apply(command.replyTo()));
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onProcessCommand(ProcessCommand command) {
    String id = command.process();
    for (AppSettings app : settings.values()) {
      int index = app.instanceIndex(id);
      if (index >= 0 && apps.containsKey(app.name())) {
        apps.get(app.name())
            .tell(new InstanceCommands.Run(index, command.operation(), command.replyTo()));
        return this;
      }
      if (app.isSpareId(id)) {
        command
            .replyTo()
            .tell(
                new OpResult(
                    OpResult.Status.BAD_REQUEST,
                    id
                        + " is a spare (it takes over a lost instance): restart, stop and start"
                        + " take an instance, e.g. "
                        + app.instanceId(0)));
        return this;
      }
    }
    command
        .replyTo()
        .tell(new OpResult(OpResult.Status.UNKNOWN_PROCESS, "unknown process '" + id + "'"));
    return this;
  }

  private Behavior<MasterProtocol.Command> onStopAll(StopAll stop) {
    stopping = true;
    stopReplyTo = stop.replyTo();
    appsToStop = apps.size();
    ActorRef<AppSupervisor.Stopped> collector =
        getContext()
            .messageAdapter(
                AppSupervisor.Stopped.class, stopped -> new AppStopped(stopped.processes()));
    apps.values().forEach(app -> app.tell(new AppSupervisor.StopAll(collector)));
    // An app whose supervisor is gone cannot answer: its processes are taken from its state.
    states.forEach(
        (name, state) -> {
          if (!apps.containsKey(name)) {
            stopped.addAll(state.localHandles());
          }
        });
    return appsToStop == 0 ? replyStopped() : this;
  }

  private Behavior<MasterProtocol.Command> onScale(Scale scale) {
    AppSettings app = settings.get(scale.app());
    if (app == null) {
      scale
          .replyTo()
          .tell(new OpResult(OpResult.Status.UNKNOWN_APP, "unknown app '" + scale.app() + "'"));
      return this;
    }
    OpResult refused =
        ScaleLimits.refusal(app, scale.instances(), views.values(), maxLocalProcesses);
    if (refused != null) {
      scale.replyTo().tell(refused);
      return this;
    }
    ActorRef<MasterProtocol.Command> target = apps.get(app.name());
    if (target == null) {
      scale
          .replyTo()
          .tell(
              OpResult.failed(
                  "the supervisor of " + app.name() + " is gone; the master is stopping"));
    } else {
      target.tell(new AppSupervisor.Scale(scale.instances(), scale.replyTo()));
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onInjectFailure(InjectFailure inject) {
    inject.replyTo().tell(OpResult.ok("failure injected into the process supervisor"));
    throw new IllegalStateException(
        "failure injected into the process supervisor (overseer.admin.fault-injection)");
  }

  /** An app supervisor stopped for good: unless the master is stopping, that is fatal. */
  private Behavior<MasterProtocol.Command> onAppGone(ActorRef<Void> ref, String why) {
    String name =
        apps.entrySet().stream()
            .filter(e -> e.getValue().equals(ref))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(ref.path().name());
    boolean wasLive = apps.remove(name) != null;
    if (stopping) {
      // Gone while the master stops: it will not answer StopAll, so its processes come from its
      // state, and the collection must not wait for it.
      if (wasLive && stopReplyTo != null) {
        stopped.addAll(states.get(name).localHandles());
        return --appsToStop == 0 ? replyStopped() : this;
      }
      return this;
    }
    String reason =
        "the supervisor of app "
            + name
            + " stopped ("
            + why
            + "); its processes would run"
            + " unsupervised";
    getContext().getLog().error("{}: stopping every process and exiting", reason);
    onFatal.accept(reason);
    return this;
  }

  private Behavior<MasterProtocol.Command> onAppStopped(AppStopped app) {
    if (stopReplyTo == null) {
      return this; // the collection was already answered
    }
    stopped.addAll(app.processes());
    return --appsToStop == 0 ? replyStopped() : this;
  }

  private Behavior<MasterProtocol.Command> replyStopped() {
    stopReplyTo.tell(List.copyOf(stopped));
    stopReplyTo = null;
    return this;
  }
}
