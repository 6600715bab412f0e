package io.overseer.master.routing;

import java.util.List;

/**
 * Chooses the worker for one request. Many HTTP threads call {@link #pick} at once, so
 * implementations are thread-safe, and the list may differ from one call to the next as workers
 * join, leave or change weight. Pick with {@link StrategyKind#create()} to get one from config.
 */
public interface RoutingStrategy {
  /**
   * Picks one candidate.
   *
   * @param candidates the workers that may take the request now; not empty
   * @return an index into {@code candidates}
   * @throws IllegalArgumentException if {@code candidates} is empty
   */
  int pick(List<? extends Candidate> candidates);
}
