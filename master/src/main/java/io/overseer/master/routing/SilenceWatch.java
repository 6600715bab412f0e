package io.overseer.master.routing;

import java.time.Duration;
import java.util.Collection;

/**
 * Tells a slow worker from a silent one, the router's per-attempt timeout (Envoy's {@code
 * per_try_timeout}, Finagle's per-request timeout), without retrying slow work: a worker that has a
 * request outstanding for half the timeout and has said nothing for as long is probed; one that has
 * not answered the probe when the other half has passed is suspect. A worker busy on a minute-long
 * job answers its probes at once (they are handled on its default dispatcher, its jobs on the
 * compute dispatcher), so nothing of it is retried.
 *
 * <p>Run by one thread at a time (the reply inbox's timer); it only reads the slots and the
 * attempts, the router acts.
 */
final class SilenceWatch {

  /** What the router does with what the watch finds. */
  interface Actions {
    void probe(Slot slot, long nowNanos);

    void suspect(Slot slot);

    void recovered(Slot slot);
  }

  /** What the watch needs to know of an attempt in flight. */
  interface Outstanding {
    Slot slot();

    long sentNanos();
  }

  private final long halfNanos;

  /**
   * @param attemptTimeout {@code overseer.routing.attempt-timeout}: half of it silent before a
   *     probe, the other half for the probe's answer
   */
  SilenceWatch(Duration attemptTimeout) {
    if (attemptTimeout.toMillis() < 2) {
      throw new IllegalArgumentException("overseer.routing.attempt-timeout must be at least 2ms");
    }
    this.halfNanos = attemptTimeout.toNanos() / 2;
  }

  /** One round: probes the workers that went quiet, suspects those that did not answer. */
  void check(
      Collection<Slot> slots,
      Collection<? extends Outstanding> attempts,
      long nowNanos,
      Actions actions) {
    boolean quietWithWork = false;
    for (Slot slot : slots) {
      if (slot.probePending()) {
        if (nowNanos - slot.probedNanos >= halfNanos) {
          if (!slot.suspect) {
            actions.suspect(slot);
          }
          actions.probe(slot, nowNanos); // again: the last probe may have been lost with the link
        }
      } else if (slot.suspect) {
        actions.recovered(slot); // heard from since its last probe
      } else if (slot.outstanding.get() > 0 && nowNanos - slot.heardNanos >= halfNanos) {
        quietWithWork = true;
      }
    }
    if (!quietWithWork) {
      return; // the steady state: every worker with work answers all the time
    }
    for (Outstanding attempt : attempts) {
      Slot slot = attempt.slot();
      if (!slot.probePending()
          && nowNanos - attempt.sentNanos() >= halfNanos
          && nowNanos - slot.heardNanos >= halfNanos) {
        actions.probe(slot, nowNanos);
      }
    }
  }
}
