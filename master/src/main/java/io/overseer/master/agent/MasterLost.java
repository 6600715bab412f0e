package io.overseer.master.agent;

import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The reason of an agent's coordinated shutdown when its master was unreachable for longer than
 * {@code overseer.agent.master-lost-timeout}: every process is stopped (no orphans across machines)
 * with the actor system, and {@link AgentMain} starts a new one that joins again.
 */
public final class MasterLost implements CoordinatedShutdown.Reason {
  private final String why;

  MasterLost(String why) {
    this.why = why;
  }

  @Override
  public String toString() {
    return "master lost: " + why;
  }
}
