package io.overseer.master.supervision;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells in the master's log, at INFO under its own name, what the cluster does: every node that
 * joins, is Up, becomes unreachable or reachable again, is downed, leaves and is removed, with its
 * address and roles. Pekko's own cluster log says much of it too, but at its leader's discretion
 * and not reachability as seen from here; this is the operator's one place to read membership.
 */
public final class ClusterLog extends AbstractBehavior<ClusterEvent.ClusterDomainEvent> {
  private static final Logger log = LoggerFactory.getLogger(ClusterLog.class);

  /** Subscribes to membership and reachability; restarted on a failure, it only logs. */
  public static Behavior<ClusterEvent.ClusterDomainEvent> create() {
    return Behaviors.supervise(Behaviors.setup(ClusterLog::new))
        .onFailure(SupervisorStrategy.restart());
  }

  private ClusterLog(ActorContext<ClusterEvent.ClusterDomainEvent> context) {
    super(context);
    ActorRef<ClusterEvent.ClusterDomainEvent> self = context.getSelf();
    var subscriptions = Cluster.get(context.getSystem()).subscriptions();
    subscriptions.tell(Subscribe.create(self.narrow(), ClusterEvent.MemberEvent.class));
    subscriptions.tell(Subscribe.create(self.narrow(), ClusterEvent.ReachabilityEvent.class));
  }

  @Override
  public Receive<ClusterEvent.ClusterDomainEvent> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClusterEvent.MemberJoined.class, e -> logged("joined", e.member()))
        .onMessage(ClusterEvent.MemberWeaklyUp.class, e -> logged("is WeaklyUp", e.member()))
        .onMessage(ClusterEvent.MemberUp.class, e -> logged("is Up", e.member()))
        .onMessage(ClusterEvent.MemberLeft.class, e -> logged("is leaving", e.member()))
        .onMessage(ClusterEvent.MemberExited.class, e -> logged("exited", e.member()))
        .onMessage(ClusterEvent.MemberDowned.class, e -> logged("was downed", e.member()))
        .onMessage(ClusterEvent.MemberRemoved.class, this::onRemoved)
        .onMessage(ClusterEvent.UnreachableMember.class, e -> logged("is unreachable", e.member()))
        .onMessage(
            ClusterEvent.ReachableMember.class, e -> logged("is reachable again", e.member()))
        .onMessage(ClusterEvent.ClusterDomainEvent.class, e -> this)
        .build();
  }

  private Behavior<ClusterEvent.ClusterDomainEvent> onRemoved(ClusterEvent.MemberRemoved removed) {
    return logged("was removed (it was " + removed.previousStatus() + ")", removed.member());
  }

  private Behavior<ClusterEvent.ClusterDomainEvent> logged(String what, Member member) {
    log.info("cluster node {} (roles {}) {}", member.address(), roles(member), what);
    return this;
  }

  private static String roles(Member member) {
    return String.join(
        ",", member.getRoles().stream().filter(role -> !role.startsWith("dc-")).sorted().toList());
  }
}
