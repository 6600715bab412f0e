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

  /** The worker running the request died, left or was removed before it answered. */
  public static final class WorkerLost extends RoutingFailure {
    private final String workerId;

    public WorkerLost(String workerId, String reason) {
      super("worker " + workerId + " was lost: " + reason);
      this.workerId = workerId;
    }

    public String workerId() {
      return workerId;
    }
  }

  /** The request's deadline passed before the worker answered; the worker was told to cancel. */
  public static final class DeadlineExceeded extends RoutingFailure {
    public DeadlineExceeded(String workerId) {
      super("deadline exceeded on worker " + workerId);
    }
  }
}
