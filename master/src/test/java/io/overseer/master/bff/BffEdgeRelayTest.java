package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.http.EdgeErrors;
import io.overseer.protocol.WorkerProtocol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the BFF edge makes of a worker's answer: the worker answers every route's errors as JSON,
 * and the edge shows a page route's as its error page, the one place error pages are rendered.
 */
class BffEdgeRelayTest {
  private static final String NOT_FOUND =
      "{\"error\":\"upstream answered 404\",\"route\":\"product-page\",\"upstream\":\"product\","
          + "\"status\":404}";

  @TempDir Path templates;

  /** Only the route's errors matter to the relay; the rest is the edge's matching. */
  private static BffRoute route(EdgeErrors errors) {
    return new BffRoute("product-page", "GET", null, "web", null, null, Set.of(), errors);
  }

  private static WorkerProtocol.Handled handled(
      int status, String contentType, String body, Map<String, String> headers) {
    return new WorkerProtocol.Handled(1, status, contentType, body, headers, "web-1", 42);
  }

  private static String body(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().decodeString(StandardCharsets.UTF_8);
  }

  @Test
  void aWorkersJsonErrorOnAPageRouteBecomesTheBuiltInPageWithItsStatusAndHeaders() {
    BffRoute page = route(EdgeErrors.presentedBy(ErrorPage.load(templates, null)));
    HttpResponse answer =
        BffEdge.relayed(
            page, handled(404, "application/json", NOT_FOUND, Map.of("X-Upstream", "product")));
    assertEquals(404, answer.status().intValue());
    assertEquals(MediaTypes.TEXT_HTML, answer.entity().getContentType().mediaType());
    String html = body(answer);
    assertTrue(html.contains("<h1>404 upstream answered 404</h1>"), html);
    assertTrue(html.contains("<dt>upstream</dt><dd>product</dd>"), html);
    assertTrue(html.contains("<dt>route</dt><dd>product-page</dd>"), html);
    assertEquals("product", answer.getHeader("X-Upstream").orElseThrow().value());
  }

  @Test
  void aPageRoutesOwnErrorTemplateShowsTheWorkersErrorsToo() throws Exception {
    Files.writeString(
        templates.resolve("oops.mustache"),
        "<p>{{status}} {{error}}: {{#details}}{{name}}={{value}};{{/details}}</p>");
    BffRoute page = route(EdgeErrors.presentedBy(ErrorPage.load(templates, "oops.mustache")));
    String failed =
        "{\"error\":\"upstream failed\",\"route\":\"product-page\",\"upstream\":\"product\","
            + "\"cause\":\"<b>bad status 500</b>\"}";
    HttpResponse answer = BffEdge.relayed(page, handled(502, "application/json", failed, Map.of()));
    assertEquals(502, answer.status().intValue());
    assertEquals(
        "<p>502 upstream failed: route=product-page;upstream=product;"
            + "cause=&lt;b&gt;bad status 500&lt;/b&gt;;</p>",
        body(answer),
        "upstream text is never live markup");
  }

  @Test
  void aRenderedPageAndAJsonRoutesErrorPassAsTheWorkerAnsweredThem() {
    BffRoute page = route(EdgeErrors.presentedBy(ErrorPage.load(templates, null)));
    HttpResponse rendered =
        BffEdge.relayed(page, handled(200, "text/html", "<h1>Kettle</h1>", Map.of()));
    assertEquals(200, rendered.status().intValue());
    assertEquals(MediaTypes.TEXT_HTML, rendered.entity().getContentType().mediaType());
    assertEquals("<h1>Kettle</h1>", body(rendered));

    HttpResponse json =
        BffEdge.relayed(
            route(EdgeErrors.JSON), handled(404, "application/json", NOT_FOUND, Map.of()));
    assertEquals(404, json.status().intValue());
    assertEquals(MediaTypes.APPLICATION_JSON, json.entity().getContentType().mediaType());
    assertEquals(NOT_FOUND, body(json));
  }

  @Test
  void aPageRoutesErrorThatIsNotJsonIsLeftAsItIs() {
    BffRoute page = route(EdgeErrors.presentedBy(ErrorPage.load(templates, null)));
    HttpResponse text = BffEdge.relayed(page, handled(500, "text/plain", "boom", Map.of()));
    assertEquals(500, text.status().intValue());
    assertEquals(MediaTypes.TEXT_PLAIN, text.entity().getContentType().mediaType());
    assertEquals("boom", body(text));
  }
}
