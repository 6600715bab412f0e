package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.master.bff.FieldError;
import io.overseer.master.http.RequestIds;
import io.overseer.master.routing.RoutingFailure;
import io.overseer.master.routing.WorkerRouter;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobLauncher} of the master: checks the arguments against the job's schema, sends the
 * run through its app's {@link WorkerRouter} (the app's strategy picks the worker; the router's
 * deadline answers TIMED_OUT and tells the worker to cancel), and decides what the router cannot: a
 * worker that answers "busy" makes it try another (as many tries as the app has ready workers), and
 * a run lost with its worker starts again elsewhere only if it may ({@code retryable-if-lost}, else
 * the Java job's own {@code retryable()}, which the worker reported when it accepted the run; a run
 * never accepted counts as not retryable: it may have started). The router never retries a job
 * itself (its routes are not idempotent). Thread-safe; the stage never fails.
 */
public final class RouterJobLauncher implements JobLauncher {
  private static final Logger log = LoggerFactory.getLogger(RouterJobLauncher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JobDefinition> jobs;
  private final Map<String, WorkerRouter> routers;
  private final Clock clock;

  /** Attempts in flight, by request id: what their worker said when it accepted them, if it did. */
  private final Map<Long, Attempt> attempts = new ConcurrentHashMap<>();

  private ActorRef<WorkerProtocol.JobAccepted> acceptedTo;

  private static final class Attempt {
    volatile WorkerProtocol.JobAccepted accepted;
  }

  /** One launch's state across its attempts. */
  private record Launch(
      JobDefinition job,
      JobLaunch request,
      String requestId,
      String argsJson,
      Instant deadline,
      int busyTries) {}

  public RouterJobLauncher(
      Collection<JobDefinition> jobs, Map<String, WorkerRouter> routers, Clock clock) {
    Map<String, JobDefinition> byName = new LinkedHashMap<>();
    jobs.forEach(job -> byName.put(job.name(), job));
    this.jobs = byName;
    this.routers = routers;
    this.clock = clock;
  }

  /** Spawns the actor workers tell {@link WorkerProtocol.JobAccepted} (a child of context). */
  public void attach(ActorContext<?> context, String name) {
    attach(
        context.spawn(
            Behaviors.receiveMessage(
                (WorkerProtocol.JobAccepted accepted) -> {
                  accepted(accepted);
                  return Behaviors.same();
                }),
            name));
  }

  /** Where workers tell {@link WorkerProtocol.JobAccepted}; that actor calls {@link #accepted}. */
  void attach(ActorRef<WorkerProtocol.JobAccepted> acceptedTo) {
    this.acceptedTo = acceptedTo;
  }

  /** A worker started a run: remembered while its attempt is in flight (thread-safe). */
  void accepted(WorkerProtocol.JobAccepted accepted) {
    Attempt attempt = attempts.get(accepted.requestId());
    if (attempt != null) {
      attempt.accepted = accepted;
    }
  }

  /** The jobs, by name. */
  public Collection<JobDefinition> jobs() {
    return jobs.values();
  }

  @Override
  public CompletionStage<JobOutcome> launch(JobLaunch request) {
    JobDefinition job = jobs.get(request.job());
    if (job == null) {
      return refused(request.job(), "unknown job '" + request.job() + "'; known: " + jobs.keySet());
    }
    JsonNode args = request.args() == null ? JsonNodeFactory.instance.objectNode() : request.args();
    List<FieldError> errors = job.check(args);
    if (!errors.isEmpty()) {
      return refused(job.name(), "invalid arguments: " + describe(errors));
    }
    Duration wait = request.deadline() == null ? job.deadline() : request.deadline();
    String argsJson;
    try {
      argsJson = JSON.writeValueAsString(args);
    } catch (IOException e) {
      return refused(job.name(), "arguments cannot be written as JSON: " + e.getMessage());
    }
    int tries = Math.max(1, routers.get(job.app()).readyWorkers().size());
    String requestId = request.requestId().isEmpty() ? RequestIds.generate() : request.requestId();
    Launch launch =
        new Launch(job, request, requestId, argsJson, clock.instant().plus(wait), tries);
    return attempt(launch, 0, 0).thenApply(outcome -> logged(launch, outcome));
  }

  private CompletionStage<JobOutcome> attempt(Launch launch, int busy, int lost) {
    Duration remaining = Duration.between(clock.instant(), launch.deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      return done(launch, JobOutcome.Status.TIMED_OUT, null, null, null, deadlineText(launch));
    }
    AtomicLong attemptId = new AtomicLong(-1);
    Attempt attempt = new Attempt();
    CompletionStage<WorkerProtocol.Reply> reply =
        routers
            .get(launch.job.app())
            .dispatch(
                (id, timeoutMillis, replyTo) -> {
                  attemptId.set(id);
                  attempts.put(id, attempt);
                  return new WorkerProtocol.RunJob(
                      id,
                      launch.requestId,
                      launch.job.implementation(),
                      launch.request.trigger(),
                      launch.argsJson,
                      launch.job.command(),
                      timeoutMillis,
                      acceptedTo,
                      replyTo);
                },
                launch.job.routingWithin(remaining));
    return reply
        .handle(
            (answer, error) -> {
              attempts.remove(attemptId.get());
              return error == null
                  ? answered(launch, (WorkerProtocol.JobDone) answer, busy, lost)
                  : failed(launch, unwrap(error), attempt.accepted, busy, lost);
            })
        .thenCompose(next -> next);
  }

  private CompletionStage<JobOutcome> answered(
      Launch launch, WorkerProtocol.JobDone done, int busy, int lost) {
    Instant started =
        done.startedAtMillis() > 0 ? Instant.ofEpochMilli(done.startedAtMillis()) : null;
    JsonNode result = parse(done.resultJson());
    return switch (done.status()) {
      case SUCCEEDED ->
          done(launch, JobOutcome.Status.SUCCEEDED, done.workerId(), started, result, null);
      case CANCELLED ->
          done(
              launch,
              JobOutcome.Status.TIMED_OUT,
              done.workerId(),
              started,
              result,
              deadlineText(launch));
      case BUSY ->
          busy + 1 < launch.busyTries
              ? attempt(launch, busy + 1, lost)
              : done(
                  launch,
                  JobOutcome.Status.REFUSED,
                  done.workerId(),
                  null,
                  null,
                  "every worker is busy: " + done.error());
      // The configuration names a Java job this worker's class path lacks: not the caller's fault.
      case UNKNOWN_JOB, FAILED ->
          done(launch, JobOutcome.Status.FAILED, done.workerId(), started, result, done.error());
    };
  }

  private CompletionStage<JobOutcome> failed(
      Launch launch, Throwable error, WorkerProtocol.JobAccepted accepted, int busy, int lost) {
    if (error instanceof RoutingFailure.DeadlineExceeded) {
      return done(launch, JobOutcome.Status.TIMED_OUT, null, null, null, deadlineText(launch));
    }
    if (error instanceof RoutingFailure.WorkerLost gone) {
      boolean retryable =
          launch.job.retryableIfLost().orElse(accepted != null && accepted.retryable());
      if (retryable && lost < launch.job.lostRetries()) {
        RequestLog.with(
            launch.requestId,
            () ->
                log.warn(
                    "job {}: {}; starting it again on another worker",
                    launch.job.name(),
                    gone.getMessage()));
        return attempt(launch, busy, lost + 1);
      }
      return done(
          launch,
          JobOutcome.Status.LOST,
          gone.workerId(),
          null,
          null,
          gone.getMessage()
              + (retryable
                  ? "; retried " + lost + " time(s) already"
                  : "; the job is not retryable"));
    }
    if (error instanceof RoutingFailure.Unavailable unavailable) {
      return done(launch, JobOutcome.Status.REFUSED, null, null, null, unavailable.getMessage());
    }
    RequestLog.with(
        launch.requestId, () -> log.error("job {}: unexpected failure", launch.job.name(), error));
    return done(launch, JobOutcome.Status.FAILED, null, null, null, error.toString());
  }

  private static String deadlineText(Launch launch) {
    Duration wait =
        launch.request.deadline() == null ? launch.job.deadline() : launch.request.deadline();
    return "deadline of " + wait.toMillis() + " ms passed; the run was cancelled";
  }

  private CompletionStage<JobOutcome> done(
      Launch launch,
      JobOutcome.Status status,
      String worker,
      Instant started,
      JsonNode result,
      String error) {
    return CompletableFuture.completedFuture(
        new JobOutcome(launch.job.name(), status, worker, started, clock.instant(), result, error));
  }

  private CompletionStage<JobOutcome> refused(String job, String why) {
    return CompletableFuture.completedFuture(
        new JobOutcome(job, JobOutcome.Status.REFUSED, null, null, clock.instant(), null, why));
  }

  private static JobOutcome logged(Launch launch, JobOutcome outcome) {
    if (outcome.status() != JobOutcome.Status.SUCCEEDED) {
      RequestLog.with(
          launch.requestId,
          () ->
              log.info(
                  "job {} ({}) {} on {}: {}",
                  outcome.job(),
                  launch.request.trigger(),
                  outcome.status(),
                  outcome.worker() == null ? "no worker" : outcome.worker(),
                  outcome.error()));
    }
    return outcome;
  }

  /** "/n: integer expected; /name: required", each error naming its field. */
  static String describe(List<FieldError> errors) {
    return String.join(
        "; ",
        errors.stream()
            .map(e -> (e.field().isEmpty() ? "(arguments)" : e.field()) + ": " + e.problem())
            .toList());
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
