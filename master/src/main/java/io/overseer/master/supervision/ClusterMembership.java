package io.overseer.master.supervision;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.Subscribe;

/** The cluster operations a supervisor needs; an interface so tests run without a cluster. */
public interface ClusterMembership {
  /** Removes a node whose process is known dead, without waiting for the failure detector. */
  void down(Address node);

  /** Asks a node to leave gracefully (it is being stopped). */
  void leave(Address node);

  /** Tells the subscriber when nodes become unreachable, and reachable again. */
  void subscribeToReachability(ActorRef<ClusterEvent.ReachabilityEvent> subscriber);

  /** The real cluster of {@code system} (the master's, or an agent's). */
  static ClusterMembership of(ActorSystem<?> system) {
    return new ClusterMembership() {
      @Override
      public void down(Address node) {
        Cluster.get(system).manager().tell(new Down(node));
      }

      @Override
      public void leave(Address node) {
        Cluster.get(system).manager().tell(Leave.create(node));
      }

      @Override
      public void subscribeToReachability(ActorRef<ClusterEvent.ReachabilityEvent> subscriber) {
        Cluster.get(system)
            .subscriptions()
            .tell(Subscribe.create(subscriber, ClusterEvent.ReachabilityEvent.class));
      }
    };
  }
}
