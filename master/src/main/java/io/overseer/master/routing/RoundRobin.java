package io.overseer.master.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the candidates in turn, ignoring weights and load; lock-free, so many HTTP threads may pick
 * at once. The turn is a position, not a worker: when the list changes, the rotation carries on at
 * the same counter and may skip or repeat a worker once.
 */
public final class RoundRobin implements RoutingStrategy {
  private final AtomicLong next = new AtomicLong();

  /**
   * @return an index in {@code 0..candidates-1}
   */
  public int pick(int candidates) {
    if (candidates <= 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    return (int) Math.floorMod(next.getAndIncrement(), (long) candidates);
  }

  @Override
  public int pick(List<? extends Candidate> candidates) {
    return pick(candidates.size());
  }
}
