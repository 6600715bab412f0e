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
    Duration delay = nextDelay;
    nextDelay = grown(delay);
    if (stable) {
      // Not a crash loop: replaced at once (the initial backoff of every replacement otherwise).
      // The backoff still takes its step, so a crash loop that follows waits exactly as long as
      // one whose first restart waited: initial x multiplier, then growing.
      return new RestartPolicy.Restart(policy.afterStableRun());
    }
    return new RestartPolicy.Restart(delay);
  }

  private Duration grown(Duration delay) {
    long grownNanos =
        (long)
            Math.min(policy.backoffMax().toNanos(), delay.toNanos() * policy.backoffMultiplier());
    return Duration.ofNanos(Math.max(grownNanos, delay.toNanos()));
  }
}
