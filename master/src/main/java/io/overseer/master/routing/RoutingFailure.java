package io.overseer.master.routing;

import java.time.Duration;

/** Why a request could not be answered by a worker; the HTTP edge maps each kind to a status. */
public abstract sealed class RoutingFailure extends RuntimeException {
  private RoutingFailure(String message) {
    super(message, null, false, false);
  }

  /** A failure worth trying again later, with the {@code Retry-After} to tell the client. */
  public abstract static sealed class Unavailable extends RoutingFailure {
    private final Duration retryAfter;

    private Unavailable(String message, Duration retryAfter) {
      super(message);
      this.retryAfter = retryAfter;
    }

    /** {@code overseer.routing.retry-after}. */
    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /** No worker has completed its readiness handshake. */
  public static final class NoWorkerReady extends Unavailable {
    public NoWorkerReady(Duration retryAfter) {
      super("no worker is ready", retryAfter);
    }
  }

  /** Every worker is at its in-flight cap and the wait queue is full, or the wait was too long. */
  public static final class Overloaded extends Unavailable {
    public Overloaded(Duration retryAfter) {
      super("overloaded: every worker is busy and the queue is full", retryAfter);
    }
  }

  /** The worker running the request died, left or became unreachable before it answered. */
  public static final class WorkerLost extends RoutingFailure {
    private final String workerId;
    private final boolean idempotent;

    /**
     * @param idempotent false: the request may have run, so its outcome is unknown
     */
    public WorkerLost(String workerId, String reason, boolean idempotent) {
      super("worker " + workerId + " was lost: " + reason);
      this.workerId = workerId;
      this.idempotent = idempotent;
    }

    public String workerId() {
      return workerId;
    }

    public boolean idempotent() {
      return idempotent;
    }
  }

  /** The request's deadline passed before the worker answered; the worker was told to cancel. */
  public static final class DeadlineExceeded extends RoutingFailure {
    public DeadlineExceeded(String workerId) {
      super("deadline exceeded on worker " + workerId);
    }
  }
}
