package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;

/**
 * What a {@link WorkerRouter} tells the metrics about its requests. Called on the request path
 * (HTTP threads, the reply inbox, timer threads), so an implementation counts and returns: no lock
 * held for long, no blocking, no allocation it can avoid. Each method counts nothing unless
 * implemented: a test overrides what it watches.
 */
public interface RouterMetrics {

  /** Counts nothing: a master with metrics off, and the routers of unit tests. */
  RouterMetrics NONE = new RouterMetrics() {};

  /** A request entered the router: it is in flight until {@link #settled}. */
  default void started(String route) {}

  /**
   * The request was answered, once: by a worker's reply or by a failure ({@link RoutingFailure}:
   * 503 refused, 504 deadline, 502 worker lost).
   *
   * @param workerId the worker of its last attempt, or null if it never reached one (queued, or no
   *     worker ready)
   * @param reply the worker's reply, or null when {@code failure} is set
   * @param elapsedNanos from its arrival at the router to its answer
   */
  default void settled(
      String route,
      String workerId,
      WorkerProtocol.Reply reply,
      Throwable failure,
      long elapsedNanos) {}

  /** A request lost with (or silent on) a worker was sent again, to another worker. */
  default void retried(String route, String fromWorkerId) {}

  /** The outlier detector took a worker out of rotation for a while. */
  default void ejected(String workerId) {}
}
