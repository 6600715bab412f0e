package io.overseer.master.routing;

import java.util.concurrent.atomic.AtomicLong;

/** Picks the candidates in turn; lock-free, so many HTTP threads may pick at once. */
public final class RoundRobin {
  private final AtomicLong next = new AtomicLong();

  /** @return an index in {@code 0..candidates-1} */
  public int pick(int candidates) {
    if (candidates <= 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    return (int) Math.floorMod(next.getAndIncrement(), (long) candidates);
  }
}
