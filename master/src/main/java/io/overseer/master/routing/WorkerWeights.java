package io.overseer.master.routing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The weights of a router's workers, by worker id: the app's, a worker's own from config, and those
 * set at run time by the admin API, which a worker coming back under the same id keeps.
 */
final class WorkerWeights {
  private final int defaultWeight;
  private final Map<String, Integer> overrides = new ConcurrentHashMap<>();

  /**
   * @param defaultWeight the app's weight, for workers without one of their own
   * @param configured weights of particular workers, by worker id (from config)
   */
  WorkerWeights(int defaultWeight, Map<String, Integer> configured) {
    this.defaultWeight = defaultWeight;
    this.overrides.putAll(configured);
  }

  int of(String workerId) {
    return overrides.getOrDefault(workerId, defaultWeight);
  }

  /**
   * Sets a worker's weight; applies from the next pick.
   *
   * @return false if none of {@code slots} is that worker
   */
  boolean set(String workerId, int weight, Collection<Slot> slots) {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, got " + weight);
    }
    List<Slot> matching = slots.stream().filter(s -> s.worker.workerId().equals(workerId)).toList();
    if (matching.isEmpty()) {
      return false;
    }
    overrides.put(workerId, weight);
    matching.forEach(s -> s.weight = weight);
    return true;
  }
}
