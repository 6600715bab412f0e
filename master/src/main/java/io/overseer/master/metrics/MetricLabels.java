package io.overseer.master.metrics;

import io.overseer.master.http.EdgeErrors;
import io.overseer.master.routing.RoutingFailure;
import io.overseer.protocol.WorkerProtocol;

/**
 * The label values the metrics use, kept to bounded sets (Prometheus keeps one series per label
 * combination): a status class rather than a status, a route's name rather than its path, a
 * worker's id ({@code web-0}, reused by its restarts) rather than its pid.
 */
final class MetricLabels {
  /** The worker label of a request that never reached one (queued, or no worker ready). */
  static final String NO_WORKER = "none";

  /** A job that did not succeed, for its status class. */
  private static final int JOB_NOT_DONE = 500;

  private MetricLabels() {}

  /** {@code 2xx} .. {@code 5xx}; anything outside 100..599 counts as {@code 5xx}. */
  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "5xx";
  }

  static String worker(String workerId) {
    return workerId == null ? NO_WORKER : workerId;
  }

  /**
   * The status the client got for a request the router settled: the reply's own (a BFF route's
   * handler answers its status), or the one {@link EdgeErrors} maps a failure to, so that the
   * metrics and the answers never disagree.
   */
  static int status(WorkerProtocol.Reply reply, Throwable failure) {
    if (failure != null) {
      return EdgeErrors.JSON.failure(failure).status().intValue();
    }
    if (reply instanceof WorkerProtocol.Handled handled) {
      return handled.status();
    }
    if (reply instanceof WorkerProtocol.ComputeFailed failed) {
      return EdgeErrors.workerFailed(failed).status().intValue();
    }
    if (reply instanceof WorkerProtocol.JobDone done
        && done.status() != WorkerProtocol.JobStatus.SUCCEEDED) {
      // Only the class is kept, and every other end of a job is answered 5xx (JobOutcome.Status:
      // failed 500/502, timed out 504, refused 503); which one the job routes decide, not this.
      // Each try counts: a busy worker's refusal is one, though the launcher may try another.
      return JOB_NOT_DONE;
    }
    return 200;
  }

  /** Why a request was refused with 503 before any worker ran it, or null if it was not. */
  static String refusal(Throwable failure) {
    if (failure instanceof RoutingFailure.Overloaded) {
      return "overloaded";
    }
    if (failure instanceof RoutingFailure.NoWorkerReady) {
      return "no_worker_ready";
    }
    return null;
  }
}
