package io.overseer.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.routing.RoutingFailure;
import io.overseer.protocol.WorkerProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.junit.jupiter.api.Test;
import scala.Option;

/** One mapping of failures to answers; the route only chooses how the answer is shown. */
class EdgeErrorsTest {
  /** A stand-in for a page route's error page: the JSON answer's body as the text of a page. */
  private static final EdgeErrors PAGE =
      EdgeErrors.presentedBy(
          json -> json.withEntity(ContentTypes.TEXT_HTML_UTF8, "<p>" + body(json) + "</p>"));

  private static String body(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().decodeString(StandardCharsets.UTF_8);
  }

  @Test
  void aFailureIsTheSameAnswerOnAnApiRouteAndAPageRouteOnlyShownAsAPage() {
    var overloaded = new CompletionException(new RoutingFailure.Overloaded(Duration.ofMillis(300)));
    HttpResponse json = EdgeErrors.JSON.failure(overloaded);
    HttpResponse page = PAGE.failure(overloaded);
    assertEquals(503, json.status().intValue());
    assertEquals(MediaTypes.APPLICATION_JSON, json.entity().getContentType().mediaType());
    assertEquals(
        "{\"error\":\"overloaded: every worker is busy and the queue is full\"}", body(json));
    assertEquals(
        "1", json.getHeader("Retry-After").orElseThrow().value(), "whole seconds, at least 1");
    assertEquals(503, page.status().intValue());
    assertEquals(MediaTypes.TEXT_HTML, page.entity().getContentType().mediaType());
    assertEquals("<p>" + body(json) + "</p>", body(page));
    assertEquals("1", page.getHeader("Retry-After").orElseThrow().value());
  }

  @Test
  void aWorkersOwnDeadlineIs504LikeTheRoutersAndItsOtherFailures502() {
    HttpResponse late =
        EdgeErrors.workerFailed(
            new WorkerProtocol.ComputeFailed(
                7, "web-1", WorkerProtocol.ComputeFailed.DEADLINE_EXCEEDED));
    HttpResponse routers = EdgeErrors.JSON.failure(new RoutingFailure.DeadlineExceeded("web-1"));
    assertEquals(504, late.status().intValue());
    assertEquals(body(routers), body(late), "the same answer whichever side gave up first");

    HttpResponse failed =
        EdgeErrors.workerFailed(new WorkerProtocol.ComputeFailed(8, "web-1", "boom"));
    assertEquals(502, failed.status().intValue());
    assertTrue(body(failed).startsWith("{\"error\":\"worker failed the request\""), body(failed));
    assertTrue(body(failed).contains("\"reason\":\"boom\""), body(failed));
  }

  @Test
  void aRelayedErrorIsShownTheRoutesWayAndAnythingElsePassesAsItIs() {
    HttpResponse missing =
        JsonResponses.error(StatusCodes.NOT_FOUND, "upstream answered 404", Map.of("route", "r"));
    HttpResponse page = PAGE.relayed(missing);
    assertEquals(404, page.status().intValue());
    assertEquals(MediaTypes.TEXT_HTML, page.entity().getContentType().mediaType());
    assertEquals("<p>" + body(missing) + "</p>", body(page));
    assertEquals(missing, EdgeErrors.JSON.relayed(missing), "an API route relays JSON as it is");

    HttpResponse ok = JsonResponses.ok(Map.of("id", 1));
    assertEquals(ok, PAGE.relayed(ok), "a success is never an error page");
    HttpResponse moved = ok.withStatus(StatusCodes.FOUND);
    assertEquals(moved, PAGE.relayed(moved), "nor a redirect");
  }

  @Test
  void eachRoutingFailureHasItsStatus() {
    assertEquals(
        502,
        EdgeErrors.JSON
            .failure(new RoutingFailure.WorkerLost("w", "gone", true))
            .status()
            .intValue());
    assertEquals(
        504, EdgeErrors.JSON.failure(new RoutingFailure.DeadlineExceeded("w")).status().intValue());
    assertEquals(
        503,
        EdgeErrors.JSON
            .failure(new RoutingFailure.NoWorkerReady(Duration.ofSeconds(2)))
            .status()
            .intValue());
    assertEquals(
        400, EdgeErrors.JSON.failure(new BadParameter("n", "negative")).status().intValue());
    assertEquals(
        500, EdgeErrors.JSON.failure(new IllegalStateException("bug")).status().intValue());
  }

  @Test
  void aRefusalNamesTheProblemAndWhere() {
    HttpResponse refused =
        EdgeErrors.JSON.refused(
            StatusCodes.UNSUPPORTED_MEDIA_TYPE, "not JSON", Map.of("route", "r"));
    assertEquals(415, refused.status().intValue());
    assertEquals("{\"error\":\"not JSON\",\"route\":\"r\"}", body(refused));
  }

  @Test
  void aBodyThatFailedToStreamInIsClassifiedByItsCauseAtAnyDepth() {
    var tooLarge = new EntityStreamSizeException(10, Option.empty());
    assertEquals(
        EdgeErrors.BodyFailure.TOO_LARGE,
        EdgeErrors.BodyFailure.of(new CompletionException(tooLarge)));
    assertEquals(
        EdgeErrors.BodyFailure.TOO_SLOW, EdgeErrors.BodyFailure.of(new TimeoutException()));
    assertEquals(
        EdgeErrors.BodyFailure.BROKEN,
        EdgeErrors.BodyFailure.of(new IllegalStateException("reset")));
  }
}
