package io.overseer.master.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** The restart history of one instance, judged by a {@link RestartPolicy}. Not thread-safe. */
final class RestartTracker {
  private final RestartPolicy policy;
  private final Deque<Instant> recentRestarts = new ArrayDeque<>();
  private Duration nextDelay;

  /** Errored and given one more try: an unstable run now means errored again at once. */
  private boolean probing;

  RestartTracker(RestartPolicy policy) {
    this.policy = policy;
    this.nextDelay = policy.backoffInitial();
  }

  /**
   * @param exitCode the process's exit code
   * @param uptime how long that process ran
   */
  RestartPolicy.Decision onExit(int exitCode, Duration uptime, Instant now) {
    if (!policy.autorestart()) {
      return new RestartPolicy.Done("autorestart is off");
    }
    if (policy.stopExitCodes().contains(exitCode)) {
      return new RestartPolicy.Done("exit code " + exitCode + " is listed in stop-exit-codes");
    }
    boolean stable = uptime.compareTo(policy.minUptime()) >= 0;
    if (probing && !stable) {
      return new RestartPolicy.Errored(policy.coolDown());
    }
    probing = false;
    if (stable) {
      nextDelay = policy.backoffInitial(); // a stable run forgives earlier crashes' backoff
    }
    Instant windowStart = now.minus(policy.window());
    while (!recentRestarts.isEmpty() && recentRestarts.peekFirst().isBefore(windowStart)) {
      recentRestarts.removeFirst();
    }
    if (recentRestarts.size() >= policy.maxRestarts()) {
      recentRestarts.clear();
      nextDelay = policy.backoffInitial();
      probing = true;
      return new RestartPolicy.Errored(policy.coolDown());
    }
    recentRestarts.addLast(now);
    if (stable) {
      // Not a crash loop: replaced at once (100 ms of every replacement otherwise). Should the new
      // run be unstable, its restart waits the initial backoff, growing from there.
      return new RestartPolicy.Restart(policy.afterStableRun());
    }
    Duration delay = nextDelay;
    long grownNanos =
        (long)
            Math.min(policy.backoffMax().toNanos(), delay.toNanos() * policy.backoffMultiplier());
    nextDelay = Duration.ofNanos(Math.max(grownNanos, delay.toNanos()));
    return new RestartPolicy.Restart(delay);
  }
}
