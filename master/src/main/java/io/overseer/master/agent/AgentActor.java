package io.overseer.master.agent;

import io.overseer.master.supervision.AppSupervisor;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.OpResult;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * The agent's link with the master, at {@link AgentProtocol#AGENT_PATH}: says hello until the first
 * assignment, applies each {@link AgentProtocol.Assignment} to the agent's process supervisor (its
 * {@code Scale}, per app), sends the supervisor's views to the master every views-interval, and
 * ends the agent, every process stopped, when the master has been unreachable or gone for longer
 * than master-lost-timeout.
 */
final class AgentActor extends AbstractBehavior<AgentProtocol.ToAgent> {
  /** The class of the process supervisor's answer to GetApps, for the ask. */
  @SuppressWarnings("unchecked")
  private static final Class<List<AppView>> APP_LIST = (Class<List<AppView>>) (Class<?>) List.class;

  private enum HelloTick implements AgentProtocol.AgentInternal {
    INSTANCE
  }

  private enum ViewsTick implements AgentProtocol.AgentInternal {
    INSTANCE
  }

  private enum MasterLostTick implements AgentProtocol.AgentInternal {
    INSTANCE
  }

  private record LocalViews(List<AppView> apps) implements AgentProtocol.AgentInternal {}

  private record MemberChanged(ClusterEvent.MemberEvent event)
      implements AgentProtocol.AgentInternal {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event)
      implements AgentProtocol.AgentInternal {}

  private record ScaleAnswered(String app, OpResult result)
      implements AgentProtocol.AgentInternal {}

  private final ActorContext<AgentProtocol.ToAgent> context;
  private final TimerScheduler<AgentProtocol.ToAgent> timers;
  private final String name;
  private final Set<String> apps;
  private final ActorRef<AgentProtocol.ToMaster> desk;
  private final ActorRef<MasterProtocol.Command> supervisor;
  private final AgentRouting routing;
  private final AgentSettings settings;
  private final String fingerprint;
  private final AgentLogs logs;
  private final Map<String, Integer> assigned = new HashMap<>();
  private boolean hasAssignment;
  private String warnedFingerprint;

  /**
   * @param apps the apps of this agent's configuration
   * @param fingerprint this agent's {@link ClusterPlan#fingerprint()}, compared with the master's
   */
  static Behavior<AgentProtocol.ToAgent> create(
      String name,
      Set<String> apps,
      ActorRef<AgentProtocol.ToMaster> desk,
      ActorRef<MasterProtocol.Command> supervisor,
      AgentRouting routing,
      AgentSettings settings,
      String fingerprint,
      AgentLogs logs) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new AgentActor(
                        context,
                        timers,
                        name,
                        apps,
                        desk,
                        supervisor,
                        routing,
                        settings,
                        fingerprint,
                        logs)));
  }

  private AgentActor(
      ActorContext<AgentProtocol.ToAgent> context,
      TimerScheduler<AgentProtocol.ToAgent> timers,
      String name,
      Set<String> apps,
      ActorRef<AgentProtocol.ToMaster> desk,
      ActorRef<MasterProtocol.Command> supervisor,
      AgentRouting routing,
      AgentSettings settings,
      String fingerprint,
      AgentLogs logs) {
    super(context);
    this.context = context;
    this.timers = timers;
    this.name = name;
    this.apps = Set.copyOf(apps);
    this.desk = desk;
    this.supervisor = supervisor;
    this.routing = routing;
    this.settings = settings;
    this.fingerprint = fingerprint;
    this.logs = logs;
    timers.startTimerWithFixedDelay(
        HelloTick.INSTANCE, HelloTick.INSTANCE, settings.helloInterval());
    timers.startTimerWithFixedDelay(
        ViewsTick.INSTANCE, ViewsTick.INSTANCE, settings.viewsInterval());
    ClusterEvents.subscribe(context, MemberChanged::new, ReachabilityChanged::new);
  }

  @Override
  public Receive<AgentProtocol.ToAgent> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(HelloTick.INSTANCE, this::onHelloTick)
        .onMessage(AgentProtocol.Assignment.class, this::onAssignment)
        .onMessage(ScaleAnswered.class, this::onScaleAnswered)
        .onMessage(AgentProtocol.Operate.class, this::onOperate)
        .onMessage(AgentProtocol.OperateProcess.class, this::onOperateProcess)
        .onMessage(AgentProtocol.ReadLogs.class, this::onReadLogs)
        .onMessageEquals(ViewsTick.INSTANCE, this::onViewsTick)
        .onMessage(LocalViews.class, this::onLocalViews)
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
        .onMessageEquals(
            MasterLostTick.INSTANCE,
            () ->
                stop(
                    "unreachable for longer than "
                        + AgentSettings.shown(settings.masterLostTimeout())))
        .build();
  }

  private Behavior<AgentProtocol.ToAgent> onHelloTick() {
    desk.tell(new AgentProtocol.Hello(name, context.getSelf()));
    return this;
  }

  private Behavior<AgentProtocol.ToAgent> onAssignment(AgentProtocol.Assignment assignment) {
    if (!hasAssignment) {
      hasAssignment = true;
      timers.cancel(HelloTick.INSTANCE);
    }
    if (!assignment.appsFingerprint().equals(fingerprint)
        && !assignment.appsFingerprint().equals(warnedFingerprint)) {
      warnedFingerprint = assignment.appsFingerprint();
      context
          .getLog()
          .warn(
              "the master's apps differ from this agent's configuration (fingerprint {} here, {} on"
                  + " the master): copy the master's configuration file to this host",
              fingerprint,
              assignment.appsFingerprint());
    }
    assignment.instances().keySet().stream()
        .filter(app -> !apps.contains(app))
        .forEach(
            app ->
                context
                    .getLog()
                    .warn("assigned app '{}' is not in this agent's configuration", app));
    for (String app : apps) {
      int target = assignment.instances().getOrDefault(app, 0);
      if (assigned.getOrDefault(app, 0) != target) {
        context.getLog().info("assignment: {} instance(s) of {} on this host", target, app);
        assigned.put(app, target);
        supervisor.tell(
            new ProcessSupervisor.Scale(
                app,
                target,
                context.messageAdapter(OpResult.class, result -> new ScaleAnswered(app, result))));
      }
    }
    if (assignment.reannounce()) {
      routing.reannounce();
    }
    return this;
  }

  /** The master's reload or restart of this host's share: the supervisor answers the master. */
  private Behavior<AgentProtocol.ToAgent> onOperate(AgentProtocol.Operate operate) {
    context
        .getLog()
        .info(
            "{} of {} on this host",
            operate.operation().name().toLowerCase(java.util.Locale.ROOT),
            operate.app());
    supervisor.tell(
        new ProcessSupervisor.AppCommand(
            operate.app(),
            operate.operation() == AgentProtocol.Operation.RELOAD
                ? AppSupervisor.Reload::new
                : AppSupervisor.Restart::new,
            operate.replyTo()));
    return this;
  }

  /** The master's restart, stop or start of one process here: the supervisor answers the master. */
  private Behavior<AgentProtocol.ToAgent> onOperateProcess(AgentProtocol.OperateProcess operate) {
    context
        .getLog()
        .info(
            "{} of {} on this host",
            operate.operation().name().toLowerCase(java.util.Locale.ROOT),
            operate.process());
    supervisor.tell(
        new ProcessSupervisor.ProcessCommand(
            operate.process(), operate.operation(), operate.replyTo()));
    return this;
  }

  /** The master wants this host's log lines: read off this actor's thread, answered from there. */
  private Behavior<AgentProtocol.ToAgent> onReadLogs(AgentProtocol.ReadLogs read) {
    logs.read(read);
    return this;
  }

  private Behavior<AgentProtocol.ToAgent> onScaleAnswered(ScaleAnswered answered) {
    if (answered.result().status() != OpResult.Status.OK) {
      context
          .getLog()
          .warn(
              "the assignment of {} could not be applied: {}",
              answered.app(),
              answered.result().message());
    }
    return this;
  }

  private Behavior<AgentProtocol.ToAgent> onViewsTick() {
    context.ask(
        APP_LIST,
        supervisor,
        settings.askTimeout(),
        ProcessSupervisor.GetApps::new,
        (views, error) -> new LocalViews(views == null ? null : views));
    return this;
  }

  private Behavior<AgentProtocol.ToAgent> onLocalViews(LocalViews views) {
    if (views.apps() != null && hasAssignment) {
      desk.tell(new AgentProtocol.Views(name, views.apps()));
    }
    return this;
  }

  // ---- losing the master -----------------------------------------------------------------------

  private Behavior<AgentProtocol.ToAgent> onMemberChanged(MemberChanged changed) {
    if (changed.event().member().hasRole(ClusterNames.ROLE_MASTER)
        && (changed.event() instanceof ClusterEvent.MemberRemoved
            || changed.event() instanceof ClusterEvent.MemberDowned)) {
      return stop("removed from the cluster");
    }
    return this;
  }

  private Behavior<AgentProtocol.ToAgent> onReachabilityChanged(ReachabilityChanged changed) {
    if (!changed.event().member().hasRole(ClusterNames.ROLE_MASTER)) {
      return this;
    }
    if (changed.event() instanceof ClusterEvent.UnreachableMember) {
      context
          .getLog()
          .warn(
              "the master {} is unreachable; its processes here stop if it stays so for {}",
              changed.event().member().address(),
              AgentSettings.shown(settings.masterLostTimeout()));
      timers.startSingleTimer(
          MasterLostTick.INSTANCE, MasterLostTick.INSTANCE, settings.masterLostTimeout());
    } else if (changed.event() instanceof ClusterEvent.ReachableMember) {
      context.getLog().info("the master {} is reachable again", changed.event().member().address());
      timers.cancel(MasterLostTick.INSTANCE);
    }
    return this;
  }

  /** Every process stopped (the coordinated shutdown's stop task), then a new node joins. */
  private Behavior<AgentProtocol.ToAgent> stop(String why) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(context.getSystem());
    if (shutdown.getShutdownReason().isEmpty()) {
      context
          .getLog()
          .error("the master is {}: stopping every process of this host, then joining again", why);
      shutdown.run(new MasterLost(why));
    }
    return this;
  }
}
