package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * One request to run a job.
 *
 * @param job the job's name under {@code overseer.jobs}
 * @param args the job's arguments (a JSON object; validated against the job's schema by the
 *     launcher)
 * @param deadline how long the caller waits, or {@code null} for the job's configured deadline
 * @param trigger who asked, for logs and history: {@code http}, {@code admin}, {@code
 *     schedule:<name>}
 * @param requestId the id of the HTTP request that asked ({@code X-Request-Id}), or empty: the
 *     launcher makes one (a schedule's run)
 */
public record JobLaunch(
    String job, JsonNode args, Duration deadline, String trigger, String requestId) {

  /** A launch without a request (a schedule's): the launcher makes its id. */
  public JobLaunch(String job, JsonNode args, Duration deadline, String trigger) {
    this(job, args, deadline, trigger, "");
  }
}
