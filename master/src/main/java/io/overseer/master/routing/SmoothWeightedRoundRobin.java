package io.overseer.master.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round-robin, the algorithm of nginx's upstream module: at each pick every
 * candidate's current weight grows by its weight, the candidate with the largest current weight is
 * picked (the earlier one on a tie), and the total weight is taken off its current weight. Over
 * every cycle of total-weight picks a candidate of weight w is picked exactly w times, spread out
 * rather than in a burst: weights 5, 1, 1 give {@code a a b a c a a}.
 *
 * <p>Current weights are kept per {@link Candidate#key() key}, so a worker keeps its place when
 * others join or leave. A key missing from a pick's list is forgotten and starts again from zero if
 * it comes back. Weights are read at every pick, so a change counts from the next pick on.
 *
 * <p>Picks hold the instance's lock: each one rewrites every candidate's current weight, and the
 * cycle is exact only if no two picks interleave. While the keys are those of the previous pick, in
 * the same order, a pick allocates nothing.
 */
public final class SmoothWeightedRoundRobin implements RoutingStrategy {
  /** The keys of the previous pick's candidates, in the list's order. */
  private Object[] keys = new Object[0];

  /** {@code current[i]} is the current weight of {@code keys[i]}. */
  private long[] current = new long[0];

  /**
   * Scratch space for this pick's weights: each weight is read once and checked before any state
   * changes, so a bad weight leaves the state untouched and a weight changing mid-pick cannot make
   * the amount added differ from the amount subtracted.
   */
  private int[] weights = new int[0];

  @Override
  public synchronized int pick(List<? extends Candidate> candidates) {
    int size = candidates.size();
    if (size == 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    if (!sameKeys(candidates)) {
      realign(candidates);
    }
    long total = 0;
    for (int i = 0; i < size; i++) {
      int weight = candidates.get(i).weight();
      if (weight < 1) {
        throw new IllegalArgumentException(
            "candidate "
                + candidates.get(i).key()
                + " has weight "
                + weight
                + "; weights must be >= 1");
      }
      weights[i] = weight;
      total += weight;
    }
    int best = 0;
    for (int i = 0; i < size; i++) {
      current[i] += weights[i];
      // Strictly greater: on a tie the earlier candidate keeps the pick.
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }

  /** How many keys have state now; for tests that check departed keys are dropped. */
  synchronized int trackedKeys() {
    return keys.length;
  }

  private boolean sameKeys(List<? extends Candidate> candidates) {
    if (candidates.size() != keys.length) {
      return false;
    }
    for (int i = 0; i < keys.length; i++) {
      Object key = candidates.get(i).key();
      // Identity first: the caller usually hands back the very same key objects.
      if (key != keys[i] && (key == null || !key.equals(keys[i]))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Lines the state up with a new list: known keys keep their current weight, new ones start at 0.
   */
  private void realign(List<? extends Candidate> candidates) {
    Map<Object, Long> previous = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      previous.put(keys[i], current[i]);
    }
    int size = candidates.size();
    Object[] nextKeys = new Object[size];
    long[] nextCurrent = new long[size];
    for (int i = 0; i < size; i++) {
      nextKeys[i] = candidates.get(i).key();
      nextCurrent[i] = previous.getOrDefault(nextKeys[i], 0L);
    }
    keys = nextKeys;
    current = nextCurrent;
    weights = new int[size];
  }
}
