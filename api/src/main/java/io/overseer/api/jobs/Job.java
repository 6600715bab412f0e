package io.overseer.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A piece of work a worker runs on request: from an HTTP route, the CLI ({@code overseer job run}),
 * the admin API or a schedule. Implementations are found with {@link java.util.ServiceLoader}: list
 * the class in {@code META-INF/services/io.overseer.api.jobs.Job} and declare the job under {@code
 * overseer.jobs.<name>} in the master's configuration.
 *
 * <p>{@link #run} runs on the worker's job pool (a few threads, {@code
 * overseer.worker.jobs.max-concurrent}), never on an actor or HTTP thread, so it may block or
 * compute for minutes. It must check {@link JobContext#isCancelled()} (or call {@link
 * JobContext#checkCancelled()}) now and then: past the deadline the job is cancelled, and a job
 * that keeps running past the grace ({@code overseer.worker.jobs.cancel-grace}) gets its worker
 * replaced. Throw {@link JobException} to fail with a clear message; any other exception fails the
 * job with its type and message.
 *
 * <pre>{@code
 * public final class Greet implements Job {
 *   public String name() { return "greet"; }
 *
 *   public JsonNode run(JobContext context) {
 *     String who = context.args().path("who").asText("world");
 *     return JsonNodeFactory.instance.objectNode().put("greeting", "hello " + who);
 *   }
 * }
 * }</pre>
 */
public interface Job {

  /** The name the configuration uses ({@code overseer.jobs.<name>}); unique on the class path. */
  String name();

  /**
   * Runs the job once.
   *
   * @return the result, any JSON value (null is JSON null); its serialized size is capped by {@code
   *     overseer.worker.jobs.max-result-size}
   * @throws JobException to fail with this message
   * @throws Exception any other failure fails the job too, named by its type and message
   */
  JsonNode run(JobContext context) throws Exception;

  /**
   * Whether the job may run again, on another worker, when its worker dies in the middle of a run
   * (it may then have run in part, or in full). False by default: a lost run is reported as lost.
   * The job's configuration ({@code retryable-if-lost}) may say otherwise.
   */
  default boolean retryable() {
    return false;
  }
}
