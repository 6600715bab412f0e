package io.overseer.master;

import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The reason of a coordinated shutdown that a supervision failure started: an app's supervisor past
 * its restart limit or unable to re-adopt its processes, or the process supervisor dead. Its exit
 * code, 70 (sysexits' EX_SOFTWARE), is set in overseer-master-defaults.conf under {@code
 * pekko.coordinated-shutdown.reason-overrides}, keyed by this class's name.
 */
public final class SupervisionFailed implements CoordinatedShutdown.Reason {
  static final int EXIT_CODE = 70;

  private final String why;

  SupervisionFailed(String why) {
    this.why = why;
  }

  /** The reason for {@code why}; for an agent, whose supervision fails the same way. */
  public static SupervisionFailed of(String why) {
    return new SupervisionFailed(why);
  }

  @Override
  public String toString() {
    return "supervision failed: " + why;
  }
}
