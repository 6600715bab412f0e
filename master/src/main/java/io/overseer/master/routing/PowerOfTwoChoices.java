package io.overseer.master.routing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of two choices: draws two distinct candidates at random and picks the one with fewer
 * requests in flight. Nearly as good at avoiding a loaded worker as scanning for the least loaded
 * one, at a constant cost whatever the number of workers, and without every thread converging on
 * the same momentary minimum. Stateless, so lock-free and allocation-free.
 */
public final class PowerOfTwoChoices implements RoutingStrategy {
  @Override
  public int pick(List<? extends Candidate> candidates) {
    int size = candidates.size();
    if (size == 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    if (size == 1) {
      return 0;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(size);
    // Drawn from the other size-1 positions, so the two are distinct without a retry loop.
    int second = random.nextInt(size - 1);
    if (second >= first) {
      second++;
    }
    // On a tie the first is returned: it was drawn at random, so either is equally likely.
    return candidates.get(second).outstanding() < candidates.get(first).outstanding()
        ? second
        : first;
  }
}
