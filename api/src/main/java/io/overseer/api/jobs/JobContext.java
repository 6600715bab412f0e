package io.overseer.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * What a {@link Job} gets for one run: its arguments, its deadline, a cooperative cancellation
 * token and a logger. Safe to use from the job's thread and any thread it starts.
 *
 * <pre>{@code
 * long n = context.args().path("n").asLong();
 * for (long i = 0; i < n; i++) {
 *   if (i % 10_000 == 0) {
 *     context.checkCancelled(); // throws once the run is cancelled
 *   }
 *   work(i);
 * }
 * context.logger().info("done with {} items on pid {}", n, context.pid());
 * }</pre>
 */
public interface JobContext {

  /** The job's name. */
  String job();

  /**
   * Who asked for this run: {@code http}, {@code admin} (the admin API and the CLI), or {@code
   * schedule:<name>@<tick>} with the tick's instant (ISO-8601), e.g. {@code
   * schedule:nightly@2026-12-01T01:30:00Z}. A schedule's tick is unique to the tick: a job can use
   * it as an idempotency key (a tick runs at most once, unless the job is retried after its worker
   * was lost).
   */
  String trigger();

  /**
   * The id of the request that started this run: its {@code X-Request-Id} as the edge took or made
   * it (returned to the caller on the answer), or one the master made for a schedule's run. It is
   * in the worker's log lines about the run ({@code requestId} in SLF4J's MDC, on the job's
   * thread); a command job gets it as {@code $OVERSEER_REQUEST_ID}. Pass it on to the services the
   * job calls to follow the request through them.
   *
   * @return the id; empty only from an implementation older than this method
   */
  default String requestId() {
    return "";
  }

  /** The arguments, already checked against the job's JSON Schema by the master (an object). */
  JsonNode args();

  /** When the caller stops waiting; the run is cancelled then. */
  Instant deadline();

  /**
   * Whether the run is cancelled: its deadline passed, or its caller gave up. The job should stop
   * soon after this turns true; its result is not used any more.
   */
  boolean isCancelled();

  /**
   * Throws {@link JobException} ("cancelled") if the run is cancelled; a convenient check inside
   * loops.
   */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new JobException("cancelled");
    }
  }

  /**
   * A logger named after the job ({@code io.overseer.jobs.<name>}), in the worker's log, whose
   * lines carry the request's id (MDC {@code requestId}) on whatever thread writes them.
   */
  Logger logger();

  /**
   * Sends messages to other processes: one by id, the whole app, or a topic's subscribers (see
   * {@link io.overseer.api.messaging.Messages}), e.g. to tell every worker a report is ready.
   */
  io.overseer.api.messaging.Messages messages();

  /** The worker's OS process id. */
  long pid();
}
