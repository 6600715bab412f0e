package io.overseer.master.routing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the candidate with the fewest requests in flight. Ties are common (every idle worker has
 * none), and always taking the first tied one would pile bursts onto the head of the list: so a
 * counter rotates the pick among the tied candidates, and a stable set of k tied candidates gets
 * one pick each in every k picks. Lock-free and allocation-free.
 */
public final class LeastOutstanding implements RoutingStrategy {
  /** Advanced only when there is a tie, so picks without one cost no contended write. */
  private final AtomicLong tieBreaks = new AtomicLong();

  @Override
  public int pick(List<? extends Candidate> candidates) {
    int size = candidates.size();
    if (size == 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    int first = 0;
    int least = candidates.get(0).outstanding();
    int tied = 1;
    for (int i = 1; i < size; i++) {
      int outstanding = candidates.get(i).outstanding();
      if (outstanding < least) {
        least = outstanding;
        first = i;
        tied = 1;
      } else if (outstanding == least) {
        tied++;
      }
    }
    if (tied == 1) {
      return first;
    }
    long skip = Math.floorMod(tieBreaks.getAndIncrement(), (long) tied);
    for (int i = first; i < size; i++) {
      if (candidates.get(i).outstanding() == least && skip-- == 0) {
        return i;
      }
    }
    // Counts moved between the two passes (requests finish concurrently); the first minimum seen
    // is still a sound answer.
    return first;
  }
}
