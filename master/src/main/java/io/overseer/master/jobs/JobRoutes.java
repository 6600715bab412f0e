package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.master.bff.FieldError;
import io.overseer.master.http.EdgeErrors;
import io.overseer.master.http.JsonResponses;
import io.overseer.protocol.logging.RequestLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The HTTP triggers of jobs: each job's own route on the edge ({@code route.path}), and {@code GET
 * /_admin/jobs} (the list) and {@code POST /_admin/jobs/<name>} (run it) behind the admin token.
 * Both check the arguments here, before any worker is involved (400 naming each field), and wait
 * for the run as long as its deadline: the answer is the outcome ({@link EdgeErrors#job}). The
 * admin API takes a shorter deadline for one run, {@code ?deadline=30s} ({@link RunDeadline}).
 */
public final class JobRoutes extends AllDirectives {
  private final RouterJobLauncher launcher;
  private final Duration retryAfter;
  private final Duration timeoutMargin;

  /**
   * @param retryAfter {@code overseer.routing.retry-after}, of the 503 when no worker can take it
   * @param timeoutMargin {@code overseer.http.timeout-margin}: Pekko's request timeout is the
   *     deadline plus this, so the edge's 504 comes first
   */
  public JobRoutes(RouterJobLauncher launcher, Duration retryAfter, Duration timeoutMargin) {
    this.launcher = launcher;
    this.retryAfter = retryAfter;
    this.timeoutMargin = timeoutMargin;
  }

  /** The jobs' routes; any other request passes on to the next routes. */
  public Route edgeRoutes() {
    return extractRequest(this::edge);
  }

  private Route edge(HttpRequest request) {
    String path = request.getUri().path();
    List<String> allowed = new ArrayList<>();
    for (JobDefinition job : launcher.jobs()) {
      if (job.route().isPresent() && job.route().get().path().equals(path)) {
        if (job.route().get().method().equals(request.method().name())) {
          return job.route().get().method().equals("GET")
              ? run(job, JobArguments.fromPairs(query(request)), "http", job.deadline())
              : withBody(job, "http", job.deadline());
        }
        allowed.add(job.route().get().method());
      }
    }
    return allowed.isEmpty() ? reject() : complete(EdgeErrors.methodNotAllowed(allowed));
  }

  /** Below {@code /_admin}, behind its token. */
  public Route adminRoutes() {
    return concat(
        path("jobs", () -> get(this::list)),
        pathPrefix("jobs", () -> path(PathMatchers.segment(), name -> post(() -> adminRun(name)))));
  }

  private Route adminRun(String name) {
    return launcher.jobs().stream()
        .filter(job -> job.name().equals(name))
        .findFirst()
        .map(job -> parameterList("deadline", given -> withDeadline(job, given)))
        .orElseGet(() -> complete(EdgeErrors.notFound("unknown job", Map.of("job", name))));
  }

  /** {@code ?deadline=}: none is the job's own; a bad one, or one given twice, runs nothing. */
  private Route withDeadline(JobDefinition job, List<String> given) {
    if (given.isEmpty()) {
      return withBody(job, "admin", job.deadline());
    }
    try {
      if (given.size() > 1) {
        throw new IllegalArgumentException("deadline given " + given.size() + " times");
      }
      return withBody(job, "admin", RunDeadline.within(given.get(0), job.deadline()));
    } catch (IllegalArgumentException e) {
      return complete(
          EdgeErrors.JSON.refused(
              StatusCodes.BAD_REQUEST,
              "invalid deadline",
              Map.of(
                  "job",
                  job.name(),
                  "problem",
                  e.getMessage(),
                  "maxMillis",
                  job.deadline().toMillis())));
    }
  }

  private Route withBody(JobDefinition job, String trigger, Duration deadline) {
    return entity(
        Unmarshaller.entityToString(),
        body -> {
          ObjectNode args;
          try {
            args = JobArguments.fromBody(body);
          } catch (JobArguments.Invalid e) {
            return refused(job, List.of(new FieldError(FieldError.BODY, "", e.getMessage())));
          }
          return run(job, args, trigger, deadline);
        });
  }

  /**
   * @param deadline the run's: the job's own, or shorter (the admin API's {@code ?deadline=})
   */
  private Route run(JobDefinition job, JsonNode args, String trigger, Duration deadline) {
    List<FieldError> errors = job.check(args);
    if (!errors.isEmpty()) {
      return refused(job, errors);
    }
    return optionalHeaderValueByName(
        RequestLog.HEADER,
        id ->
            withRequestTimeout(
                deadline.plus(timeoutMargin),
                () ->
                    completeWithFuture(
                        launcher
                            .launch(
                                new JobLaunch(
                                    job.name(),
                                    args,
                                    deadline.equals(job.deadline()) ? null : deadline,
                                    trigger,
                                    id.orElse("")))
                            .thenApply(outcome -> EdgeErrors.job(outcome, retryAfter)))));
  }

  private Route refused(JobDefinition job, List<FieldError> errors) {
    return complete(
        EdgeErrors.JSON.refused(
            StatusCodes.BAD_REQUEST,
            "invalid arguments",
            Map.of("job", job.name(), "errors", errors)));
  }

  private Route list() {
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (JobDefinition job : launcher.jobs()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", job.name());
      entry.put("app", job.app());
      entry.put("kind", job.isCommand() ? "command" : "java");
      entry.put(
          job.isCommand() ? "command" : "implementation",
          job.isCommand() ? job.command().argv() : job.implementation());
      entry.put("deadlineMillis", job.deadline().toMillis());
      entry.put("retryableIfLost", job.retryableIfLost().orElse(null));
      entry.put(
          "route",
          job.route().map(r -> Map.of("method", r.method(), "path", r.path())).orElse(null));
      entry.put("schema", job.schemas().document().get(FieldError.BODY));
      jobs.add(entry);
    }
    return complete(JsonResponses.ok(Map.of("jobs", jobs)));
  }

  private static Map<String, List<String>> query(HttpRequest request) {
    Map<String, List<String>> pairs = new LinkedHashMap<>();
    request.getUri().query().toMultiMap().forEach((k, v) -> pairs.put(k, List.copyOf(v)));
    return pairs;
  }
}
