package io.overseer.master.supervision;

import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.ClusterEvent;

/** The cluster operations a supervisor needs; an interface so tests run without a cluster. */
public interface ClusterMembership {
  /** Removes a node whose process is known dead, without waiting for the failure detector. */
  void down(Address node);

  /** Asks a node to leave gracefully (it is being stopped). */
  void leave(Address node);

  /** Tells the subscriber when nodes become unreachable, and reachable again. */
  void subscribeToReachability(ActorRef<ClusterEvent.ReachabilityEvent> subscriber);
}
