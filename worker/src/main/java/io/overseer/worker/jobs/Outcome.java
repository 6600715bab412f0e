package io.overseer.worker.jobs;

import io.overseer.protocol.WorkerProtocol;

/**
 * How a run ended, before it becomes a {@link WorkerProtocol.JobDone}.
 *
 * @param status how it ended
 * @param resultJson the result, or empty
 * @param error the cause when not succeeded, else empty
 */
record Outcome(WorkerProtocol.JobStatus status, String resultJson, String error) {
  static Outcome succeeded(String resultJson) {
    return new Outcome(WorkerProtocol.JobStatus.SUCCEEDED, resultJson, "");
  }

  static Outcome failed(String error) {
    return new Outcome(WorkerProtocol.JobStatus.FAILED, "", error);
  }

  static Outcome cancelled(String reason) {
    return new Outcome(WorkerProtocol.JobStatus.CANCELLED, "", "cancelled: " + reason);
  }

  Outcome withResult(String json) {
    return new Outcome(status, json, error);
  }
}
