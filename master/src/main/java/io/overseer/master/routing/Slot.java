package io.overseer.master.routing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker as the router tracks it: its requests outstanding, its weight, and when it was last
 * heard from, which tells a slow worker (answers probes while it works) from a silent one (stopped,
 * cut off). Times are {@code System.nanoTime()}-style readings of the router's clock.
 */
final class Slot implements Candidate {
  final RoutableWorker worker;
  final AtomicInteger outstanding = new AtomicInteger();
  volatile int weight;

  /** The id every probe of this worker carries, so that any answer finds its slot. */
  final long probeId;

  /** When the worker came online: the start of its slow start ({@link SlowStart}). */
  final long onlineNanos;

  /** The last message from the worker (a reply, an answer to a probe), or when it came online. */
  volatile long heardNanos;

  /** When the last probe went out; it is pending while nothing was heard since. */
  volatile long probedNanos;

  /** When the earliest probe not yet answered went out. */
  volatile long firstProbeNanos;

  /**
   * Attempts sent before this had reached the worker while it was alive: a probe sent after them
   * was answered (one association delivers in order). Such an attempt is work in progress (a long
   * job), not lost: a later silence does not retry it, the worker's removal or the deadline does.
   */
  volatile long vouchedNanos;

  /** Silent past the per-attempt timeout: out of rotation until it is heard from again. */
  volatile boolean suspect;

  Slot(RoutableWorker worker, int weight, long probeId, long nowNanos) {
    this.worker = worker;
    this.weight = weight;
    this.probeId = probeId;
    this.onlineNanos = nowNanos;
    this.heardNanos = nowNanos;
    this.probedNanos = nowNanos;
    this.vouchedNanos = nowNanos;
  }

  /**
   * An attempt sent at {@code sentNanos} is known to have reached the worker ({@link
   * #vouchedNanos}).
   */
  boolean vouchedFor(long sentNanos) {
    return sentNanos - vouchedNanos < 0;
  }

  /** A probe went out and the worker has said nothing since. */
  boolean probePending() {
    return probedNanos - heardNanos > 0;
  }

  @Override
  public Object key() {
    return worker.ref();
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }
}
