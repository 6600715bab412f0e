package io.overseer.master.supervision;

import org.apache.pekko.actor.Address;

/** The cluster operations a supervisor needs; an interface so tests run without a cluster. */
public interface ClusterMembership {
  /** Removes a node whose process is known dead, without waiting for the failure detector. */
  void down(Address node);

  /** Asks a node to leave gracefully (it is being stopped). */
  void leave(Address node);
}
