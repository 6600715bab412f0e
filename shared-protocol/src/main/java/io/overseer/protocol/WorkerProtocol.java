package io.overseer.protocol;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What the master says to a worker, and the worker's replies to requests. */
public interface WorkerProtocol {

  /** Messages a worker accepts; {@link Internal} is the worker's own local extension point. */
  sealed interface Command
      permits Compute, Handle, Cancel, Registered, Ping, Probe, UseBffRoutes, RunJob, Internal {}

  /** Local-only messages of the worker actor (never serialized). */
  non-sealed interface Internal extends Command {}

  /**
   * Sum 0..n-1 on the worker's compute dispatcher.
   *
   * @param requestId unique per master, echoed in the reply
   * @param correlationId the request's id as the edge gave it (its {@code X-Request-Id}): in the
   *     worker's log lines about it
   * @param timeoutMillis budget from receipt; the worker gives up cooperatively once it has passed
   * @param replyTo receives {@link Computed} or {@link ComputeFailed}
   */
  record Compute(
      long requestId, String correlationId, long n, long timeoutMillis, ActorRef<Reply> replyTo)
      implements Command, OverseerSerializable {}

  /**
   * A BFF request, already validated at the edge, for the worker's BFF engine.
   *
   * @param correlationId the request's id as the edge gave it ({@code X-Request-Id}): sent with
   *     every upstream call, in the worker's log lines about it
   * @param route the name of the route in {@code overseer.bff.routes}
   * @param headers only the headers the route may forward
   * @param body the request body, empty for none
   * @param timeoutMillis budget from receipt
   */
  record Handle(
      long requestId,
      String correlationId,
      String route,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      Map<String, String> headers,
      String body,
      long timeoutMillis,
      ActorRef<Reply> replyTo)
      implements Command, OverseerSerializable {}

  /** The master no longer wants the result of this request: stop working on it. */
  record Cancel(long requestId) implements Command, OverseerSerializable {}

  /** The master acknowledges {@link MasterProtocol.Ready}: the worker is routable. */
  record Registered(ActorRef<MasterProtocol.Command> master)
      implements Command, OverseerSerializable {}

  /**
   * The master's BFF routes, for a worker started by hand without {@code --config}, which asks for
   * them ({@link RoutesProtocol.RoutesWanted}) before it announces itself. Files are named by paths
   * relative to a directory of the worker's choosing, which the rendered configuration refers to
   * ({@code templates = "templates"}, {@code transform-file = "transforms/0.jslt"}).
   *
   * @param hocon the master's {@code overseer.bff} section rendered as HOCON; empty: no routes
   * @param files the templates and transform files it refers to, by relative path, as text
   */
  record UseBffRoutes(String hocon, Map<String, String> files)
      implements Command, OverseerSerializable {}

  /**
   * Liveness probe: answered with {@link MasterProtocol.Pong} by the worker's actor on its default
   * dispatcher, so a worker whose dispatcher is stuck (or whose process is stopped) stays silent,
   * while one busy on its compute dispatcher still answers.
   */
  record Ping(long sequence, ActorRef<MasterProtocol.Command> replyTo)
      implements Command, OverseerSerializable {}

  /**
   * The router asks a worker that has requests outstanding and has been silent for a while whether
   * it is still there: answered with {@link Probed} by the worker's actor on its default
   * dispatcher, so a worker busy computing for minutes answers at once (it is slow, not silent)
   * while one that is stopped or cut off does not (the router then retries its idempotent requests
   * elsewhere).
   *
   * @param probeId echoed in the answer; drawn from the router's request ids, so never one of them
   * @param replyTo the router's reply inbox
   */
  record Probe(long probeId, ActorRef<Reply> replyTo) implements Command, OverseerSerializable {}

  /** A worker's answer to {@link Compute}, {@link Handle} or {@link Probe}. */
  sealed interface Reply permits Computed, ComputeFailed, Handled, Probed, JobDone {
    long requestId();
  }

  /**
   * @param sum the exact sum as a decimal string: it overflows a long from n ≈ 4.3e9 on
   * @param millis time spent computing on the worker
   */
  record Computed(long requestId, long n, String sum, String workerId, long pid, long millis)
      implements Reply, OverseerSerializable {}

  /**
   * @param reason why no result came: {@code cancelled}, {@link #DEADLINE_EXCEEDED} or an error
   */
  record ComputeFailed(long requestId, String workerId, String reason)
      implements Reply, OverseerSerializable {
    /** The reason when the worker's own deadline for the request passed before the master's. */
    public static final String DEADLINE_EXCEEDED = "deadline exceeded";

    /** The worker gave up at the request's deadline: the client is owed a 504, not a 502. */
    public boolean deadlineExceeded() {
      return DEADLINE_EXCEEDED.equals(reason);
    }
  }

  /** The HTTP answer to a {@link Handle}, as the edge is to send it. */
  record Handled(
      long requestId,
      int status,
      String contentType,
      String body,
      Map<String, String> headers,
      String workerId,
      long pid)
      implements Reply, OverseerSerializable {}

  /**
   * The answer to {@link Probe}: the worker is there.
   *
   * @param requestId the probe's id
   */
  record Probed(long requestId) implements Reply, OverseerSerializable {}

  // ---- jobs (io.overseer.worker.jobs; the master's io.overseer.master.jobs)
  // ----------------------

  /**
   * Run a job on the worker's job pool: a {@code Job} found on its class path by name, or, when
   * {@code command} is given, that program. Answered with {@link JobDone}; a {@link Cancel} of the
   * same id cancels the run, and so does {@code timeoutMillis} passing.
   *
   * @param correlationId the id of the request that started the run (its {@code X-Request-Id}, or
   *     one the master made for a schedule): {@code $OVERSEER_REQUEST_ID} of a command, {@code
   *     JobContext.requestId()} of a Java job, in the worker's log lines about it
   * @param job the job's name (for a Java job: the {@code Job}'s name())
   * @param argsJson the arguments, a JSON object, already checked by the master
   * @param command the program to run instead of a Java job, or null
   * @param acceptedTo told {@link JobAccepted} when the run starts (the master's retry decision)
   */
  record RunJob(
      long requestId,
      String correlationId,
      String job,
      String trigger,
      String argsJson,
      JobCommand command,
      long timeoutMillis,
      ActorRef<JobAccepted> acceptedTo,
      ActorRef<Reply> replyTo)
      implements Command, OverseerSerializable {}

  /**
   * A command job: an argument array (no shell ever sees it), its directory and extra environment.
   *
   * @param cwd the working directory; empty: the worker's
   */
  record JobCommand(List<String> argv, String cwd, Map<String, String> env)
      implements OverseerSerializable {}

  /**
   * A run started on the worker's job pool (not refused): sent before any of the job's code runs.
   *
   * @param retryable the Java job's own {@code retryable()}; false for a command
   */
  record JobAccepted(long requestId, String workerId, boolean retryable)
      implements OverseerSerializable {}

  /** How a run ended on the worker. */
  enum JobStatus {
    /** The job returned its result. */
    SUCCEEDED,
    /** It threw, its command exited non-zero or could not start, or its result was too large. */
    FAILED,
    /** Cancelled (its deadline, the master's Cancel) before it finished. */
    CANCELLED,
    /** Not started: {@code max-concurrent} runs are going on; another worker may take it. */
    BUSY,
    /** Not started: no Java job of that name on this worker's class path. */
    UNKNOWN_JOB
  }

  /**
   * The answer to {@link RunJob}.
   *
   * @param resultJson the result (a command's: its exit code and captured output, failed or not),
   *     or empty
   * @param error the cause in words when not succeeded, else empty
   * @param startedAtMillis when the run started (epoch millis), 0 if it did not
   */
  record JobDone(
      long requestId,
      String job,
      JobStatus status,
      String resultJson,
      String error,
      String workerId,
      long pid,
      long startedAtMillis)
      implements Reply, OverseerSerializable {}
}
