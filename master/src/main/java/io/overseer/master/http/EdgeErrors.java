package io.overseer.master.http;

import io.overseer.master.jobs.JobOutcome;
import io.overseer.master.routing.RoutingFailure;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the edge's failures become HTTP answers: a status and a JSON body naming the
 * problem ({@code {"error": ..., details}}). A route chooses how its errors are shown: the API
 * routes as that JSON ({@link #JSON}), a page route as an HTML page made from it ({@link
 * #presentedBy}, the BFF's error page), the worker's errors it relays included ({@link #relayed}).
 * Routes, the admin API and the BFF edge all come here; so do Pekko's rejections and the exceptions
 * routes throw ({@link #handled}), and the parser's refusals ({@link JsonParsingErrors}).
 */
public final class EdgeErrors {
  private static final Logger log = LoggerFactory.getLogger(EdgeErrors.class);

  /** How a route shows its errors: given the JSON answer, the answer its clients get. */
  @FunctionalInterface
  public interface Presentation {
    HttpResponse present(HttpResponse json);
  }

  /** The errors of the API routes: JSON as it is. */
  public static final EdgeErrors JSON = new EdgeErrors(json -> json);

  private final Presentation presentation;

  private EdgeErrors(Presentation presentation) {
    this.presentation = presentation;
  }

  /** The errors of a route that shows them its own way (a page route: as an HTML page). */
  public static EdgeErrors presentedBy(Presentation presentation) {
    return new EdgeErrors(presentation);
  }

  /**
   * A failed request (possibly wrapped by a future): a routing failure, a bad parameter, a timeout.
   */
  public HttpResponse failure(Throwable failure) {
    return presentation.present(toJson(failure));
  }

  /** A request refused for its input: the status, what is wrong, and where ({@code details}). */
  public HttpResponse refused(StatusCode status, String problem, Map<String, ?> details) {
    return presentation.present(JsonResponses.error(status, problem, details));
  }

  /**
   * A worker's answer, relayed: an error (status 400 and above) is shown the route's way like the
   * edge's own refusals (a page route's JSON error becomes its error page); anything else, a
   * rendered page included, passes as it is.
   */
  public HttpResponse relayed(HttpResponse answer) {
    return answer.status().intValue() >= 400 ? presentation.present(answer) : answer;
  }

  private static HttpResponse toJson(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException) {
      return JsonResponses.error(
          StatusCodes.SERVICE_UNAVAILABLE, "the supervisor did not answer in time");
    }
    if (cause instanceof BadParameter bad) {
      return JsonResponses.error(
          StatusCodes.BAD_REQUEST,
          "invalid parameter",
          Map.of("parameter", bad.parameter(), "problem", bad.problem()));
    }
    if (cause instanceof EntityStreamSizeException tooLarge) {
      return JsonResponses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "request body too large",
          Map.of("limit", tooLarge.limit()));
    }
    if (cause instanceof RoutingFailure.Unavailable unavailable) {
      // Retry-After counts whole seconds (RFC 9110); a sub-second setting still says 1.
      return JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, cause.getMessage())
          .addHeader(RetryAfter.create(Math.max(1L, unavailable.retryAfter().toSeconds())));
    }
    if (cause instanceof RoutingFailure.WorkerLost lost) {
      return lost.idempotent()
          ? JsonResponses.error(
              StatusCodes.BAD_GATEWAY,
              "worker lost",
              Map.of("worker", lost.workerId(), "detail", lost.getMessage()))
          : JsonResponses.error(
              StatusCodes.BAD_GATEWAY,
              "outcome unknown",
              Map.of(
                  "worker",
                  lost.workerId(),
                  "detail",
                  lost.getMessage()
                      + "; the request may or may not"
                      + " have run, and was not retried because its route is not idempotent"));
    }
    if (cause instanceof RoutingFailure.DeadlineExceeded) {
      return JsonResponses.error(StatusCodes.GATEWAY_TIMEOUT, cause.getMessage());
    }
    log.error("unexpected failure while answering a request", cause);
    return JsonResponses.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error");
  }

  // ---- answers that are JSON on every route
  // ------------------------------------------------------

  /**
   * 502: the worker ran the request and reported a failure; 504 when that failure is the request's
   * deadline passing on the worker first (its clock or its share of the time ran out before the
   * router's): the same answer as the router's own deadline.
   */
  public static HttpResponse workerFailed(WorkerProtocol.ComputeFailed failed) {
    if (failed.deadlineExceeded()) {
      return JsonResponses.error(
          StatusCodes.GATEWAY_TIMEOUT,
          new RoutingFailure.DeadlineExceeded(failed.workerId()).getMessage());
    }
    return workerFailed(failed.workerId(), failed.reason());
  }

  /** 502: the worker ran the request and reported a failure. */
  private static HttpResponse workerFailed(String workerId, String reason) {
    return JsonResponses.error(
        StatusCodes.BAD_GATEWAY,
        "worker failed the request",
        Map.of("worker", workerId, "reason", reason));
  }

  /**
   * A job's outcome, for every trigger that answers over HTTP (its route, the admin API): 200 with
   * the result; else the JSON error naming the job and the cause, with the status JobOutcome's
   * statuses promise: FAILED 500 (a failed command's exit code and output in {@code output}),
   * TIMED_OUT 504, LOST 502, REFUSED 503 with {@code Retry-After}.
   */
  public static HttpResponse job(JobOutcome outcome, Duration retryAfter) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job", outcome.job());
    body.put("status", outcome.status().name());
    body.put("worker", outcome.worker());
    if (outcome.started() != null) {
      body.put("millis", Duration.between(outcome.started(), outcome.ended()).toMillis());
    }
    if (outcome.status() == JobOutcome.Status.SUCCEEDED) {
      body.put("result", outcome.result());
      return JsonResponses.ok(body);
    }
    body.put("cause", outcome.error());
    if (outcome.result() != null) {
      body.put("output", outcome.result());
    }
    return switch (outcome.status()) {
      case FAILED -> JsonResponses.error(StatusCodes.INTERNAL_SERVER_ERROR, "job failed", body);
      case TIMED_OUT -> JsonResponses.error(StatusCodes.GATEWAY_TIMEOUT, "job timed out", body);
      case LOST -> JsonResponses.error(StatusCodes.BAD_GATEWAY, "job lost with its worker", body);
      default ->
          JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, "job not started", body)
              .addHeader(RetryAfter.create(Math.max(1L, retryAfter.toSeconds())));
    };
  }

  /** 502: the worker answered with a reply of the wrong kind. */
  public static HttpResponse unexpectedReply() {
    return JsonResponses.error(StatusCodes.BAD_GATEWAY, "unexpected reply from the worker");
  }

  /** 404 naming what was not found. */
  public static HttpResponse notFound(String error, Map<String, ?> details) {
    return JsonResponses.error(StatusCodes.NOT_FOUND, error, details);
  }

  /** 405 with {@code Allow}: the path exists for these methods only. */
  public static HttpResponse methodNotAllowed(List<String> allowed) {
    return JsonResponses.error(
            StatusCodes.METHOD_NOT_ALLOWED, "method not allowed", Map.of("allowed", allowed))
        .addHeader(RawHeader.create("Allow", String.join(", ", allowed)));
  }

  /** 401 with the {@code WWW-Authenticate} challenge, and where the admin token is. */
  static HttpResponse unauthorized(boolean tokenGiven) {
    return JsonResponses.error(
            StatusCodes.UNAUTHORIZED,
            tokenGiven ? "invalid admin token" : "missing admin token",
            Map.of(
                "hint",
                "send 'Authorization: Bearer <token>'; the token is in $OVERSEER_HOME/admin.token"))
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "overseer-admin")));
  }

  /** 500: an admin operation the supervisor tried and could not complete. */
  static HttpResponse operationFailed(String message, Map<String, ?> details) {
    return JsonResponses.error(StatusCodes.INTERNAL_SERVER_ERROR, message, details);
  }

  /**
   * An admin body Pekko could not unmarshal: past {@code overseer.admin.max-body-size} a short 413,
   * not Pekko's text about streams; else 400 quoting (shortened) what went wrong.
   */
  static HttpResponse adminBodyRefused(
      MalformedRequestContentRejection rejection, long maxBytes, UnaryOperator<String> shortened) {
    return rejection.getCause() instanceof EntityStreamSizeException
        ? JsonResponses.error(
            StatusCodes.PAYLOAD_TOO_LARGE,
            "request body too large",
            Map.of("limit", maxBytes, "key", "overseer.admin.max-body-size"))
        : JsonResponses.error(
            StatusCodes.BAD_REQUEST,
            "unreadable request body",
            Map.of("problem", shortened.apply(String.valueOf(rejection.message()))));
  }

  /** What went wrong while a request body streamed in. */
  public enum BodyFailure {
    /** Past the size limit (Pekko failed the entity stream): 413. */
    TOO_LARGE,
    /** Not complete within the body timeout: 408. */
    TOO_SLOW,
    /** The client broke or closed the stream mid-body: 400. */
    BROKEN;

    public static BodyFailure of(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof EntityStreamSizeException) {
          return TOO_LARGE;
        }
        if (t instanceof TimeoutException) {
          return TOO_SLOW;
        }
      }
      return BROKEN;
    }
  }

  /** A request body of the admin API that could not be read: 413, 408 or 400, naming the key. */
  static HttpResponse bodyFailure(Throwable failure, EdgeSettings settings) {
    return switch (BodyFailure.of(failure)) {
      case TOO_LARGE ->
          JsonResponses.error(
              StatusCodes.PAYLOAD_TOO_LARGE,
              "body too large",
              Map.of("problem", "larger than overseer.http.max-body-size"));
      case TOO_SLOW ->
          JsonResponses.error(
              StatusCodes.REQUEST_TIMEOUT,
              "body too slow",
              Map.of(
                  "problem",
                  "not complete within "
                      + settings.bodyTimeout().toMillis()
                      + " ms (overseer.http.body-timeout)"));
      case BROKEN ->
          JsonResponses.error(
              StatusCodes.BAD_REQUEST,
              "body unreadable",
              Map.of("problem", String.valueOf(failure.getMessage())));
    };
  }

  /** A request the HTTP parser refused before any route saw it. */
  static HttpResponse malformedRequest(StatusCode status, String summary, String detail) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (!detail.isEmpty()) {
      details.put("detail", detail);
    }
    return JsonResponses.error(status, "malformed request: " + summary, details);
  }

  // ---- the edge as a whole
  // ------------------------------------------------------------------------

  /** The routes, with every rejection and every exception they leave answered here. */
  public static Route handled(Route routes) {
    return Directives.handleRejections(
        rejectionHandler(), () -> Directives.handleExceptions(exceptionHandler(), () -> routes));
  }

  private static ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(
            e ->
                Directives.extractRequest(
                    request ->
                        Directives.complete(
                            RequestLog.with(RequestIds.of(request), () -> JSON.failure(e)))))
        .build();
  }

  /**
   * 404 and 405 as JSON; any other rejection keeps Pekko's status with its text moved into JSON.
   */
  private static RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejections -> {
              List<HttpMethod> allowed =
                  rejections.stream().map(MethodRejection::supported).toList();
              return Directives.complete(
                  JsonResponses.error(
                          StatusCodes.METHOD_NOT_ALLOWED,
                          "method not allowed",
                          Map.of("allowed", allowed.stream().map(HttpMethod::name).toList()))
                      .addHeader(Allow.create(allowed.toArray(HttpMethod[]::new))));
            })
        .handleNotFound(
            Directives.complete(JsonResponses.error(StatusCodes.NOT_FOUND, "not found")))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(EdgeErrors::textToJson);
  }

  private static HttpResponse textToJson(HttpResponse response) {
    if (response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return response;
    }
    String text =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().decodeString(StandardCharsets.UTF_8)
            : response.status().reason();
    return JsonResponses.error(response.status(), text).addHeaders(response.getHeaders());
  }
}
