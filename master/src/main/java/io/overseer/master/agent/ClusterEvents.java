package io.overseer.master.agent;

import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.japi.function.Function;

/** Membership and reachability changes, delivered to an actor as its own messages. */
final class ClusterEvents {
  private ClusterEvents() {}

  static <T> void subscribe(
      ActorContext<T> context,
      Function<ClusterEvent.MemberEvent, T> members,
      Function<ClusterEvent.ReachabilityEvent, T> reachability) {
    var subscriptions = Cluster.get(context.getSystem()).subscriptions();
    subscriptions.tell(
        Subscribe.create(
            context.messageAdapter(ClusterEvent.MemberEvent.class, members),
            ClusterEvent.MemberEvent.class));
    subscriptions.tell(
        Subscribe.create(
            context.messageAdapter(ClusterEvent.ReachabilityEvent.class, reachability),
            ClusterEvent.ReachabilityEvent.class));
  }
}
