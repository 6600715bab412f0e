package io.overseer.master.supervision;

import java.time.Duration;
import java.util.Set;

/**
 * When and how soon an exited process is started again: OTP's restart intensity (at most {@code
 * maxRestarts} in a sliding {@code window}) with pm2's exponential backoff and min uptime, and an
 * errored state that is probed again after {@code coolDown} instead of staying dead.
 *
 * @param autorestart false: an exited process stays stopped
 * @param stopExitCodes exit codes that mean "done": not restarted
 * @param minUptime a run shorter than this is unstable; a longer one resets the backoff
 * @param afterStableRun the delay of a restart after a stable run: such a process was not
 *     crash-looping, so its replacement need not wait the backoff (0: at once)
 * @param coolDown how long an errored instance waits before it is tried again
 */
public record RestartPolicy(
    boolean autorestart,
    Set<Integer> stopExitCodes,
    int maxRestarts,
    Duration window,
    Duration minUptime,
    Duration backoffInitial,
    double backoffMultiplier,
    Duration backoffMax,
    Duration afterStableRun,
    Duration coolDown) {

  public RestartPolicy {
    stopExitCodes = Set.copyOf(stopExitCodes);
    if (maxRestarts < 0 || backoffMultiplier < 1.0) {
      throw new IllegalArgumentException(
          "restart: max-restarts must be >= 0 and backoff.multiplier >= 1, got "
              + maxRestarts
              + " and "
              + backoffMultiplier);
    }
  }

  /** What to do with an instance whose process exited. */
  public sealed interface Decision {}

  /** Leave it stopped: the exit was wanted. */
  public record Done(String why) implements Decision {}

  /** Start it again after {@code delay}. */
  public record Restart(Duration delay) implements Decision {}

  /** Too many restarts in the window: stop trying until {@code probeAfter} has passed. */
  public record Errored(Duration probeAfter) implements Decision {}
}
