package io.overseer.master.routing;

/**
 * What a {@link RoutingStrategy} knows about one worker it may pick. Strategies read these values
 * at every pick, so an implementation may return live figures (a weight changed by an operator, the
 * requests in flight right now) and the next pick sees them.
 */
public interface Candidate {
  /**
   * Identifies the worker across picks, for strategies that keep state per worker; the worker's
   * actor reference is a good key, since it is unique per process. Keys in one list should be
   * distinct, and must have consistent {@code equals} and {@code hashCode}.
   */
  Object key();

  /** The worker's share of the traffic relative to the others; at least 1. */
  int weight();

  /** Requests sent to the worker that have not been answered yet. */
  int outstanding();
}
