package io.overseer.master.http;

import io.overseer.master.routing.RoutingFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses, each with a JSON body naming the problem. */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Maps a failed request (possibly wrapped by a future) to its response. */
  public static HttpResponse toResponse(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, "the supervisor did not answer in time");
    }
    if (cause instanceof BadParameter bad) {
      return JsonResponses.error(StatusCodes.BAD_REQUEST, "invalid parameter",
          Map.of("parameter", bad.parameter(), "problem", bad.problem()));
    }
    if (cause instanceof EntityStreamSizeException tooLarge) {
      return JsonResponses.error(StatusCodes.PAYLOAD_TOO_LARGE, "request body too large",
          Map.of("limit", tooLarge.limit()));
    }
    if (cause instanceof RoutingFailure.Unavailable unavailable) {
      // Retry-After counts whole seconds (RFC 9110); a sub-second setting still says 1.
      return JsonResponses.error(StatusCodes.SERVICE_UNAVAILABLE, cause.getMessage())
          .addHeader(RetryAfter.create(Math.max(1L, unavailable.retryAfter().toSeconds())));
    }
    if (cause instanceof RoutingFailure.WorkerLost lost) {
      return lost.idempotent()
          ? JsonResponses.error(StatusCodes.BAD_GATEWAY, "worker lost",
              Map.of("worker", lost.workerId(), "detail", lost.getMessage()))
          : JsonResponses.error(StatusCodes.BAD_GATEWAY, "outcome unknown",
              Map.of("worker", lost.workerId(), "detail", lost.getMessage() + "; the request may or may not"
                  + " have run, and was not retried because its route is not idempotent"));
    }
    if (cause instanceof RoutingFailure.DeadlineExceeded) {
      return JsonResponses.error(StatusCodes.GATEWAY_TIMEOUT, cause.getMessage());
    }
    log.error("unexpected failure while answering a request", cause);
    return JsonResponses.error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error");
  }

  /** A request body that could not be read: 413 past http.max-body-size, 408 past http.body-timeout, else 400. */
  static HttpResponse bodyFailure(Throwable failure, EdgeSettings settings) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return JsonResponses.error(StatusCodes.PAYLOAD_TOO_LARGE, "body too large",
            Map.of("problem", "larger than overseer.http.max-body-size"));
      }
      if (t instanceof java.util.concurrent.TimeoutException) {
        return JsonResponses.error(StatusCodes.REQUEST_TIMEOUT, "body too slow", Map.of("problem",
            "not complete within " + settings.bodyTimeout().toMillis() + " ms (overseer.http.body-timeout)"));
      }
    }
    return JsonResponses.error(StatusCodes.BAD_REQUEST, "body unreadable", Map.of("problem",
        String.valueOf(failure.getMessage())));
  }

  public static ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder().matchAny(e -> Directives.complete(toResponse(e))).build();
  }

  /** 404 and 405 as JSON; any other rejection keeps Pekko's status with its text moved into JSON. */
  public static RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejections -> {
          List<HttpMethod> allowed = rejections.stream().map(MethodRejection::supported).toList();
          return Directives.complete(
              JsonResponses.error(StatusCodes.METHOD_NOT_ALLOWED, "method not allowed",
                      Map.of("allowed", allowed.stream().map(HttpMethod::name).toList()))
                  .addHeader(Allow.create(allowed.toArray(HttpMethod[]::new))));
        })
        .handleNotFound(Directives.complete(JsonResponses.error(StatusCodes.NOT_FOUND, "not found")))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(ApiErrors::textToJson);
  }

  private static HttpResponse textToJson(HttpResponse response) {
    if (response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return response;
    }
    String text = response.entity() instanceof HttpEntity.Strict strict
        ? strict.getData().decodeString(StandardCharsets.UTF_8) : response.status().reason();
    return JsonResponses.error(response.status(), text).addHeaders(response.getHeaders());
  }
}
