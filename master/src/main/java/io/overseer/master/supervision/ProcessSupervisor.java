package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchedProcess;
import io.overseer.protocol.MasterProtocol;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The root of supervision, at the well-known path workers announce themselves to: one
 * {@link AppSupervisor} child per app, Ready handshakes forwarded to the right one, admin commands
 * dispatched by app name, and the latest view of every app kept for the admin API.
 */
public final class ProcessSupervisor extends AbstractBehavior<MasterProtocol.Command> {

  /** Every app with its processes. */
  public record GetApps(ActorRef<List<AppView>> replyTo) implements MasterProtocol.Internal {}

  /** An operation on one app by name. */
  public record AppCommand(String app, Function<ActorRef<OpResult>, MasterProtocol.Command> command,
      ActorRef<OpResult> replyTo) implements MasterProtocol.Internal {}

  /** Shutdown: every app stops restarting; replies with every local process to stop. */
  public record StopAll(ActorRef<List<LaunchedProcess>> replyTo) implements MasterProtocol.Internal {}

  private record AppChanged(AppView view) implements MasterProtocol.Internal {}

  private record AppStopped(List<LaunchedProcess> processes) implements MasterProtocol.Internal {}

  private final Map<String, ActorRef<MasterProtocol.Command>> apps = new LinkedHashMap<>();
  private final Map<String, AppView> views = new LinkedHashMap<>();
  private final String defaultWorkerApp;
  private final Clock clock;
  private final List<LaunchedProcess> stopped = new ArrayList<>();
  private ActorRef<List<LaunchedProcess>> stopReplyTo;
  private int appsToStop;

  /** Spawns the behaviour of one app, given the listener its status goes to. */
  public interface AppFactory {
    Behavior<MasterProtocol.Command> create(AppSettings app, ActorRef<AppSupervisor.Status> listener);
  }

  /**
   * @param defaultWorkerApp the app of workers that join by hand without naming one
   */
  public static Behavior<MasterProtocol.Command> create(
      List<AppSettings> apps, String defaultWorkerApp, AppFactory factory, Clock clock) {
    return Behaviors.setup(context -> new ProcessSupervisor(context, apps, defaultWorkerApp, factory, clock));
  }

  private ProcessSupervisor(ActorContext<MasterProtocol.Command> context, List<AppSettings> appSettings,
      String defaultWorkerApp, AppFactory factory, Clock clock) {
    super(context);
    this.defaultWorkerApp = defaultWorkerApp;
    this.clock = clock;
    ActorRef<AppSupervisor.Status> listener =
        context.messageAdapter(AppSupervisor.Status.class, status -> new AppChanged(status.view()));
    for (AppSettings app : appSettings) {
      apps.put(app.name(), context.spawn(factory.create(app, listener), "app-" + app.name()));
      views.put(app.name(), new AppView(app.name(), app.mode().name().toLowerCase(java.util.Locale.ROOT),
          app.instances(), app.spares(), "launching", List.of()));
    }
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MasterProtocol.Ready.class, this::onReady)
        .onMessage(AppChanged.class, this::onAppChanged)
        .onMessage(GetApps.class, this::onGetApps)
        .onMessage(AppCommand.class, this::onAppCommand)
        .onMessage(StopAll.class, this::onStopAll)
        .onMessage(AppStopped.class, this::onAppStopped)
        .build();
  }

  private Behavior<MasterProtocol.Command> onReady(MasterProtocol.Ready ready) {
    String app = ready.app().isBlank() ? defaultWorkerApp : ready.app();
    ActorRef<MasterProtocol.Command> target = apps.get(app);
    if (target == null) {
      getContext().getLog().warn("Ready from {} (pid {}) for unknown app '{}' ignored", ready.workerId(),
          ready.pid(), app);
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
    List<ProcessView> processes = view.processes().stream().map(p -> p.startedAt() == null || p.uptimeMillis() == 0
        ? p
        : new ProcessView(p.id(), p.app(), p.mode(), p.instance(), p.managed(), p.pid(), p.state(), p.processId(),
            p.address(), p.startedAt(), Math.max(0, now.toEpochMilli() - Instant.parse(p.startedAt()).toEpochMilli()),
            p.restarts(), p.argv(), p.heapUsedBytes(), p.heapMaxBytes(), p.rssBytes(), p.cpuPercent(), p.inFlight(),
            p.lastExitCode(), p.lastExitReason(), p.version(), p.recentLaunches(), p.nextAttemptAt()))
        .toList();
    return new AppView(view.name(), view.mode(), view.instances(), view.spares(), view.state(), processes);
  }

  private Behavior<MasterProtocol.Command> onAppCommand(AppCommand command) {
    ActorRef<MasterProtocol.Command> target = apps.get(command.app());
    if (target == null) {
      command.replyTo().tell(new OpResult(OpResult.Status.UNKNOWN_APP, "unknown app '" + command.app() + "'"));
    } else {
      target.tell(command.command().apply(command.replyTo()));
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onStopAll(StopAll stop) {
    stopReplyTo = stop.replyTo();
    appsToStop = apps.size();
    ActorRef<List<LaunchedProcess>> collector = getContext().messageAdapter(
        (Class<List<LaunchedProcess>>) (Class<?>) List.class, AppStopped::new);
    apps.values().forEach(app -> app.tell(new AppSupervisor.StopAll(collector)));
    return appsToStop == 0 ? replyStopped() : this;
  }

  private Behavior<MasterProtocol.Command> onAppStopped(AppStopped app) {
    stopped.addAll(app.processes());
    return --appsToStop == 0 ? replyStopped() : this;
  }

  private Behavior<MasterProtocol.Command> replyStopped() {
    stopReplyTo.tell(List.copyOf(stopped));
    return this;
  }
}
