package io.overseer.worker.jobs;

import io.overseer.protocol.WorkerProtocol;

/**
 * How a run ended, before it becomes a {@link WorkerProtocol.JobDone}.
 *
 * @param status one of {@link WorkerProtocol.JobDone}'s statuses
 * @param resultJson the result, or empty
 * @param error the cause when not succeeded, else empty
 */
record Outcome(String status, String resultJson, String error) {
  static Outcome succeeded(String resultJson) {
    return new Outcome(WorkerProtocol.JobDone.SUCCEEDED, resultJson, "");
  }

  static Outcome failed(String error) {
    return new Outcome(WorkerProtocol.JobDone.FAILED, "", error);
  }

  static Outcome cancelled(String reason) {
    return new Outcome(WorkerProtocol.JobDone.CANCELLED, "", "cancelled: " + reason);
  }

  Outcome withResult(String json) {
    return new Outcome(status, json, error);
  }
}
