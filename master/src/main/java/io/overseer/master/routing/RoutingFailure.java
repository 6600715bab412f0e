package io.overseer.master.routing;

/** Why a request could not be answered by a worker; the HTTP edge maps each kind to a status. */
public abstract sealed class RoutingFailure extends RuntimeException {
  private RoutingFailure(String message) {
    super(message, null, false, false);
  }

  /** No worker has completed its readiness handshake. */
  public static final class NoWorkerReady extends RoutingFailure {
    public NoWorkerReady() {
      super("no worker is ready");
    }
  }

  /** Every worker is at its in-flight cap and the wait queue is full, or the wait was too long. */
  public static final class Overloaded extends RoutingFailure {
    public Overloaded() {
      super("overloaded: every worker is busy and the queue is full");
    }
  }

  /** The worker running the request died, left or became unreachable before it answered. */
  public static final class WorkerLost extends RoutingFailure {
    private final String workerId;
    private final boolean idempotent;

    /** @param idempotent false: the request may have run, so its outcome is unknown */
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
