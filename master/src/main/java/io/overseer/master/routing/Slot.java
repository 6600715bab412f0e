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

  /** The last message from the worker (a reply, an answer to a probe), or when it came online. */
  volatile long heardNanos;

  /** When the last probe went out; it is pending while nothing was heard since. */
  volatile long probedNanos;

  /** Silent past the per-attempt timeout: out of rotation until it is heard from again. */
  volatile boolean suspect;

  Slot(RoutableWorker worker, int weight, long probeId, long nowNanos) {
    this.worker = worker;
    this.weight = weight;
    this.probeId = probeId;
    this.heardNanos = nowNanos;
    this.probedNanos = nowNanos;
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
