package io.overseer.master.agent;

import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The reason of an agent's coordinated shutdown when its master was unreachable for longer than
 * {@code overseer.agent.master-lost-timeout}: every process is stopped (no orphans across
 * machines), then the agent exits 69 (sysexits' EX_UNAVAILABLE), set in
 * overseer-agent-defaults.conf, so that a service manager starts it again and it rejoins.
 */
public final class MasterLost implements CoordinatedShutdown.Reason {
  static final int EXIT_CODE = 69;

  private final String why;

  MasterLost(String why) {
    this.why = why;
  }

  @Override
  public String toString() {
    return "master lost: " + why;
  }
}
