package io.overseer.master.routing;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a slow worker from a silent one, the router's per-attempt timeout (Envoy's {@code
 * per_try_timeout}, Finagle's per-request timeout), without retrying slow work: a worker that has a
 * request outstanding for half the timeout and has said nothing for as long is probed; one that has
 * not answered the probe when the other half has passed is suspect: out of rotation, its idempotent
 * attempts retried elsewhere, until it is heard from again. A worker busy on a minute-long job
 * answers its probes at once (they are handled on its default dispatcher, its jobs on the compute
 * dispatcher), so nothing of it is retried; and once it has answered a probe sent after a job, the
 * job is known to be running ({@link Slot#vouchedFor}): a later pause of the worker (a false
 * suspicion on a loaded machine included) retries only what it had not acknowledged, and the long
 * job waits for its deadline or the worker's removal instead of starting over elsewhere.
 *
 * <p>{@link #check} runs on one thread at a time (the reply inbox's timer); {@link #heard} and
 * {@link #probed} on whichever thread delivers a reply. The state is the slots' volatile stamps and
 * flag (see the router's threading contract).
 */
final class SilenceWatch {
  private static final Logger log = LoggerFactory.getLogger(SilenceWatch.class);

  /** What the watch needs to know of an attempt in flight: its worker and when it was sent. */
  interface Outstanding {
    Slot slot();

    long sentNanos();
  }

  private final Duration timeout;
  private final long halfNanos;
  private final Consumer<Slot> probe;
  private final Predicate<Slot> canSpare;
  private final Consumer<Slot> retryElsewhere;
  private final Runnable backInRotation;

  /**
   * @param timeout {@code overseer.routing.attempt-timeout}: half of it silent before a probe, the
   *     other half for the probe's answer
   * @param probe sends the worker a probe
   * @param canSpare whether the pool can do without the worker (never the last one)
   * @param retryElsewhere retries the suspect's idempotent attempts on other workers
   * @param backInRotation a worker came back: waiting requests may go to it
   */
  SilenceWatch(
      Duration timeout,
      Consumer<Slot> probe,
      Predicate<Slot> canSpare,
      Consumer<Slot> retryElsewhere,
      Runnable backInRotation) {
    if (timeout.toMillis() < 2) {
      throw new IllegalArgumentException("overseer.routing.attempt-timeout must be at least 2ms");
    }
    this.timeout = timeout;
    this.halfNanos = timeout.toNanos() / 2;
    this.probe = probe;
    this.canSpare = canSpare;
    this.retryElsewhere = retryElsewhere;
    this.backInRotation = backInRotation;
  }

  /** One round: probes the workers that went quiet, suspects those that did not answer. */
  void check(Collection<Slot> slots, Collection<? extends Outstanding> attempts, long nowNanos) {
    boolean quietWithWork = false;
    for (Slot slot : slots) {
      if (slot.probePending()) {
        if (nowNanos - slot.probedNanos >= halfNanos) {
          if (!slot.suspect) {
            suspect(slot);
          }
          probe(slot, nowNanos); // again: the last probe may have been lost with the link
        }
      } else if (slot.suspect) {
        recovered(slot); // heard from since its last probe
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
        probe(slot, nowNanos);
      }
    }
  }

  /** Any message from the worker (the hot path: one write, one read). */
  void heard(Slot slot, long nowNanos) {
    slot.heardNanos = nowNanos;
    if (slot.suspect) {
      recovered(slot);
    }
  }

  /**
   * An answer to a probe: its id names the slot. Answers come in order, so it answers the earliest
   * pending probe, and every attempt sent before that probe is work in progress on a live worker.
   */
  void probed(Collection<Slot> slots, long probeId, long nowNanos) {
    for (Slot slot : slots) {
      if (slot.probeId == probeId) {
        if (slot.probePending()) {
          slot.vouchedNanos = slot.firstProbeNanos;
        }
        heard(slot, nowNanos);
      }
    }
  }

  private void probe(Slot slot, long nowNanos) {
    if (!slot.probePending()) {
      slot.firstProbeNanos = nowNanos;
    }
    slot.probedNanos = nowNanos;
    probe.accept(slot);
  }

  private void suspect(Slot slot) {
    if (!canSpare.test(slot)) {
      return;
    }
    slot.suspect = true;
    log.warn(
        "worker {} (pid {}) has not answered for {} ms with requests outstanding; out of rotation"
            + " until it answers",
        slot.worker.workerId(),
        slot.worker.pid(),
        timeout.toMillis());
    retryElsewhere.accept(slot);
  }

  private void recovered(Slot slot) {
    if (slot.suspect) {
      slot.suspect = false;
      log.info(
          "worker {} (pid {}) answers again; back in rotation",
          slot.worker.workerId(),
          slot.worker.pid());
      backInRotation.run();
    }
  }
}
