package io.overseer.master.agent;

import io.overseer.master.routing.RoutingTable;
import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.OpResult;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/**
 * The master's side of its agents, at {@link AgentProtocol#DESK_PATH}. It watches the membership
 * for agents (roles {@code agent}, {@code host:NAME}, {@code label:X}), computes each host's share
 * of each app ({@link Placement}), gives the master's own supervisor its share (the supervisor's
 * {@code Scale}) and each agent its {@link AgentProtocol.Assignment}; it routes the agents' workers
 * (their supervisors' {@code online}, {@code drain}, {@code offline} arrive here), and takes every
 * worker of an agent out of routing the moment the agent is unreachable or gone, without waiting
 * for each worker's own failure detection.
 *
 * <p>It stands in front of the process supervisor for the admin API: {@code GetApps} shows every
 * host's processes, {@code Scale} of an app placed on several hosts recomputes the shares, and any
 * other command is passed on unchanged.
 */
public final class AgentDesk extends AbstractBehavior<MasterProtocol.Command> {
  /** The class of the process supervisor's answer to GetApps, for the ask. */
  @SuppressWarnings("unchecked")
  private static final Class<List<AppView>> APP_LIST = (Class<List<AppView>>) (Class<?>) List.class;

  private record MemberChanged(ClusterEvent.MemberEvent event) implements MasterProtocol.Internal {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event)
      implements MasterProtocol.Internal {}

  private record LocalApps(List<AppView> apps, ActorRef<List<AppView>> replyTo)
      implements MasterProtocol.Internal {}

  private record ShareApplied(OpResult result) implements MasterProtocol.Internal {}

  private final ActorRef<MasterProtocol.Command> supervisor;
  private final Map<String, AppSettings> apps = new LinkedHashMap<>();
  private final ClusterPlan plan;
  private final Duration askTimeout;
  private final ActorRef<OpResult> scaleLog;

  private final HostShares shares;

  /** Agents that are members now, by name. */
  private final AgentRoster agents;

  private final Map<String, List<AppView>> agentViews = new HashMap<>();

  private final AgentWorkers workers;
  private final HostOperations operations;
  private final HostRequests requests;

  /**
   * @param apps the apps as configured (their {@code instances} are the totals to place)
   * @param localCounts the share the master's supervisor was started with, per app
   * @param askTimeout how long {@code GetApps} waits for the master's own supervisor
   * @param operationTimeout how long one host's reload or restart may take
   */
  public static Behavior<MasterProtocol.Command> create(
      ActorRef<MasterProtocol.Command> supervisor,
      Map<String, ? extends RoutingTable> routers,
      List<AppSettings> apps,
      Map<String, Integer> localCounts,
      ClusterPlan plan,
      Duration askTimeout,
      Duration operationTimeout) {
    return Behaviors.setup(
        context ->
            new AgentDesk(
                context,
                supervisor,
                routers,
                apps,
                localCounts,
                plan,
                askTimeout,
                operationTimeout));
  }

  private AgentDesk(
      ActorContext<MasterProtocol.Command> context,
      ActorRef<MasterProtocol.Command> supervisor,
      Map<String, ? extends RoutingTable> routers,
      List<AppSettings> appSettings,
      Map<String, Integer> localCounts,
      ClusterPlan plan,
      Duration askTimeout,
      Duration operationTimeout) {
    super(context);
    this.operations = new HostOperations(context, supervisor, operationTimeout);
    this.supervisor = supervisor;
    context.setLoggerName(AgentDesk.class);
    this.plan = plan;
    this.askTimeout = askTimeout;
    this.workers = new AgentWorkers(routers, context.getLog());
    for (AppSettings app : appSettings) {
      apps.put(app.name(), app);
    }
    this.shares = new HostShares(plan, appSettings, localCounts);
    this.agents = new AgentRoster(shares, plan.nodeName());
    this.scaleLog = context.messageAdapter(OpResult.class, ShareApplied::new);
    this.requests =
        new HostRequests(
            supervisor,
            appSettings,
            new RemoteLogs(
                io.overseer.master.logs.RemoteLogSettings.create(context.getSystem()),
                context.getSystem().scheduler(),
                context.getSystem().executionContext()));
    ClusterEvents.subscribe(context, MemberChanged::new, ReachabilityChanged::new);
  }

  @Override
  public Receive<MasterProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
        .onMessage(AgentProtocol.Hello.class, this::onHello)
        .onMessage(AgentProtocol.Views.class, this::onViews)
        .onMessage(AgentProtocol.Online.class, this::onOnline)
        .onMessage(AgentProtocol.Drain.class, m -> with(() -> workers.drain(m)))
        .onMessage(AgentProtocol.Offline.class, m -> with(() -> workers.offline(m)))
        .onMessage(AgentProtocol.WhenIdle.class, m -> with(() -> workers.whenIdle(m)))
        .onMessage(ProcessSupervisor.GetApps.class, this::onGetApps)
        .onMessage(LocalApps.class, this::onLocalApps)
        .onMessage(ProcessSupervisor.Scale.class, this::onScale)
        .onMessage(ShareApplied.class, this::onShareApplied)
        .onMessage(ProcessSupervisor.AppCommand.class, this::onAppCommand)
        .onMessage(
            ProcessSupervisor.ProcessCommand.class,
            m -> with(() -> requests.processCommand(m, agents::ref, agents.names())))
        .onMessage(RemoteLogs.Fetch.class, m -> with(() -> requests.fetchLogs(m, agents.up())))
        .onMessage(
            HostOperations.StepDone.class, m -> with(() -> operations.onStepDone(m, agents::ref)))
        // reload, restart, fault injection: the master's own supervisor's business
        .onMessage(MasterProtocol.Command.class, this::passOn)
        .build();
  }

  // ---- membership ------------------------------------------------------------------------------

  private Behavior<MasterProtocol.Command> onMemberChanged(MemberChanged changed) {
    Member member = changed.event().member();
    Host host = Host.fromRoles(member.getRoles());
    if (host == null) {
      return this;
    }
    if (changed.event() instanceof ClusterEvent.MemberUp) {
      AgentRoster.AgentNode holder = agents.get(host.name());
      if (host.name().equals(plan.nodeName()) || (holder != null && !shares.isLost(host.name()))) {
        // Two hosts of one name would share one share and one host column: the newcomer goes.
        getContext()
            .getLog()
            .error(
                "agent {} at {} refused: the name is taken by {}; downing it",
                host.name(),
                member.address(),
                holder == null ? "the master" : holder.address().address());
        Cluster.get(getContext().getSystem()).manager().tell(new Down(member.address()));
        return this;
      }
      ActorRef<AgentProtocol.ToAgent> ref =
          ActorRefResolver.get(getContext().getSystem())
              .resolveActorRef(member.address().toString() + AgentProtocol.AGENT_PATH);
      agents.put(new AgentRoster.AgentNode(host, member.uniqueAddress(), ref));
      shares.joined(host);
      getContext()
          .getLog()
          .info(
              "agent {} joined from {} (labels {})", host.name(), member.address(), host.labels());
      replan(null);
    } else if (changed.event() instanceof ClusterEvent.MemberRemoved removed) {
      AgentRoster.AgentNode node = agents.get(host.name());
      if (node == null || !node.address().equals(member.uniqueAddress())) {
        return this; // an older incarnation of an agent that is back already
      }
      agents.remove(host.name());
      takeOutOfRouting(host.name(), "its agent was removed from the cluster");
      if (removed.previousStatus() == MemberStatus.exiting()) {
        shares.left(host.name());
        getContext().getLog().info("agent {} left the cluster", host.name());
      } else {
        shares.lost(host.name());
        getContext().getLog().warn("agent {} was downed; its share waits for it", host.name());
      }
      replan(null);
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onReachabilityChanged(ReachabilityChanged changed) {
    Host host = Host.fromRoles(changed.event().member().getRoles());
    AgentRoster.AgentNode node = host == null ? null : agents.get(host.name());
    if (node == null || !node.address().equals(changed.event().member().uniqueAddress())) {
      return this;
    }
    if (changed.event() instanceof ClusterEvent.UnreachableMember) {
      shares.lost(host.name());
      takeOutOfRouting(host.name(), "its agent " + host.name() + " is unreachable");
      replan(null);
    } else if (changed.event() instanceof ClusterEvent.ReachableMember) {
      getContext().getLog().info("agent {} is reachable again", host.name());
      shares.back(host.name());
      replan(host.name()); // its workers were taken out of routing: it sends them again
    }
    return this;
  }

  private void takeOutOfRouting(String host, String reason) {
    agentViews.remove(host);
    workers.takeOutOfRouting(host, reason);
  }

  private void replan(String reannouncing) {
    replan(reannouncing, null, null);
  }

  /**
   * Recomputes the shares; tells the master's supervisor its new share and each agent its new
   * assignment.
   *
   * @param reannouncing an agent that is reachable again: it announces its workers anew
   * @param scaledApp an app whose new local share answers {@code replyTo} (a {@code scale})
   * @return whether {@code replyTo} was given to the supervisor
   */
  private boolean replan(String reannouncing, String scaledApp, ActorRef<OpResult> replyTo) {
    HostShares.Changes changes = shares.replan(agents.names());
    changes
        .local()
        .forEach(
            (app, share) ->
                supervisor.tell(
                    new ProcessSupervisor.Scale(
                        app, share, app.equals(scaledApp) ? replyTo : scaleLog)));
    agents.forEach(
        (name, node) -> {
          Map<String, Integer> share = changes.agents().get(name);
          if (share != null || name.equals(reannouncing)) {
            node.ref()
                .tell(
                    new AgentProtocol.Assignment(
                        shares.assignedTo(name), plan.fingerprint(), name.equals(reannouncing)));
          }
        });
    return changes.local().containsKey(scaledApp);
  }

  private Behavior<MasterProtocol.Command> onHello(AgentProtocol.Hello hello) {
    AgentRoster.AgentNode node = agents.get(hello.host());
    if (node != null && !shares.isLost(hello.host())) {
      node.ref()
          .tell(
              new AgentProtocol.Assignment(
                  shares.assignedTo(hello.host()), plan.fingerprint(), false));
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onViews(AgentProtocol.Views views) {
    if (agents.contains(views.host()) && !shares.isLost(views.host())) {
      agentViews.put(views.host(), views.apps());
    }
    return this;
  }

  // ---- routing of the agents' workers ----------------------------------------------------------

  private Behavior<MasterProtocol.Command> onOnline(AgentProtocol.Online online) {
    if (shares.isLost(online.host()) || !agents.contains(online.host())) {
      getContext()
          .getLog()
          .warn("{} not routed: host {} is lost", online.workerId(), online.host());
    } else {
      workers.online(online);
    }
    return this;
  }

  // ---- the admin API ---------------------------------------------------------------------------

  private Behavior<MasterProtocol.Command> onGetApps(ProcessSupervisor.GetApps get) {
    getContext()
        .ask(
            APP_LIST,
            supervisor,
            askTimeout,
            ProcessSupervisor.GetApps::new,
            (apps, error) -> new LocalApps(apps == null ? null : apps, get.replyTo()));
    return this;
  }

  private Behavior<MasterProtocol.Command> onLocalApps(LocalApps local) {
    if (local.apps() == null) {
      return this; // the supervisor did not answer: the admin call times out and says so
    }
    Map<String, Integer> desired = new HashMap<>();
    apps.keySet().stream()
        .filter(shares::spans)
        .forEach(app -> desired.put(app, shares.desired(app)));
    local.replyTo().tell(ClusterViews.merge(local.apps(), plan.nodeName(), agentViews, desired));
    return this;
  }

  private Behavior<MasterProtocol.Command> onScale(ProcessSupervisor.Scale scale) {
    AppSettings app = apps.get(scale.app());
    if (app == null || !shares.spans(app.name()) || scale.instances() > app.maxInstances()) {
      return passOn(scale); // the supervisor answers as on a single host (unknown app, the limit)
    }
    shares.count(app.name(), scale.instances());
    // The caller is answered when the master's own share is in place (the agents apply theirs on
    // their own; their processes show in the views as they come).
    if (!replan(null, app.name(), scale.replyTo())) {
      scale
          .replyTo()
          .tell(
              new OpResult(
                  OpResult.Status.OK,
                  "scaled "
                      + app.name()
                      + " to "
                      + scale.instances()
                      + " instance(s) across hosts"));
    }
    return this;
  }

  private Behavior<MasterProtocol.Command> onShareApplied(ShareApplied applied) {
    if (applied.result().status() != OpResult.Status.OK) {
      getContext()
          .getLog()
          .warn("the master's share could not be applied: {}", applied.result().message());
    }
    return this;
  }

  // ---- reload and restart, one host after another ----------------------------------------------

  /** A reload or restart of an app on several hosts goes host by host ({@link HostOperations}). */
  private Behavior<MasterProtocol.Command> onAppCommand(ProcessSupervisor.AppCommand command) {
    AgentProtocol.Operation kind = operations.kindOf(command);
    if (kind == null || !apps.containsKey(command.app()) || !shares.spans(command.app())) {
      return passOn(command);
    }
    operations.start(command, kind, agents.hostsRunning(command.app()), agents::ref);
    return this;
  }

  private Behavior<MasterProtocol.Command> with(Runnable action) {
    action.run();
    return this;
  }

  private Behavior<MasterProtocol.Command> passOn(MasterProtocol.Command command) {
    supervisor.tell(command);
    return this;
  }
}
