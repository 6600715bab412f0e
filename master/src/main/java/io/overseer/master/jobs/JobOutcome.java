package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * How one launch ended.
 *
 * @param job the job's name
 * @param status how it ended
 * @param worker the process that ran it last (e.g. {@code web-2}), or {@code null} if none did
 * @param started when a worker accepted it, or {@code null}
 * @param ended when the outcome was known
 * @param result the job's JSON result when {@link Status#SUCCEEDED}; a command job's exit code and
 *     captured output when it failed or was cancelled; else {@code null}
 * @param error the cause in words when not succeeded (exception message, exit code, "deadline"),
 *     else {@code null}
 */
public record JobOutcome(
    String job,
    Status status,
    String worker,
    Instant started,
    Instant ended,
    JsonNode result,
    String error) {

  /** The ways a launch ends; each maps to one HTTP status at the edge. */
  public enum Status {
    /** The job returned a result (200). */
    SUCCEEDED,
    /** The job threw, or its command exited non-zero (500/502 with the cause). */
    FAILED,
    /** The deadline passed; the job was cancelled (504). */
    TIMED_OUT,
    /** Its worker died mid-run and the job is not retryable (502). */
    LOST,
    /**
     * No worker could take it: none ready, every worker busy, queues full, unknown job, bad
     * arguments (503; the HTTP triggers check the job and its arguments first: 404/400).
     */
    REFUSED
  }
}
