package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The BFF path end to end: edge (validation) → worker JVM (upstream calls, repair, SSR) → the demo
 * backend, a real HTTP server run by the master as a command app — the shipped transform and page.
 */
@Timeout(180)
class BffIT {
  private static final Path CONF =
      Path.of(System.getProperty("overseer.test.conf-dir")).toAbsolutePath();
  private static final String PASS_404 = ", pass-statuses = [404]";
  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws Exception {
    int backend = RunningMaster.freePort();
    String upstreams =
        """
        product   { url = "http://127.0.0.1:%1$d/products/{path.id}", timeout = 2s%3$s }
        inventory { url = "http://127.0.0.1:%1$d/inventory/{path.id}", required = false }
        reviews   { url = "http://127.0.0.1:%1$d/%2$sreviews?product={path.id}", required = false }
        seller    { url = "http://127.0.0.1:%1$d/sellers/{product.data.relationships.seller.id}", required = false }
        """;
    master =
        RunningMaster.start(
            """
        overseer.apps.backend {
          mode = command
          command = ["%s", "-Xmx64m", "-jar", "%s", "--port", "%d",
                     "--reviews-delay", "50ms", "--flaky-every", "1"]
        }
        overseer.bff.templates = "%s"
        overseer.bff.routes {
          product-api {
            path = "/api/products/{id}"
            schema.path { type = object, properties { id { type = integer, minimum = 1 } }, required = [id] }
            upstreams { %s }
            transform-file = "%s"
          }
          product-page {
            path = "/products/{id}"
            schema.path { type = object, properties { id { type = integer, minimum = 1 } }, required = [id] }
            upstreams { %s }
            transform-file = "%s"
            template = "product.mustache"
          }
          flaky-api {
            path = "/api/flaky/{id}"
            upstreams { %s }
            transform-file = "%s"
          }
        }
        """
                .formatted(
                    RunningMaster.JAVA,
                    RunningMaster.EXAMPLES_JAR,
                    backend,
                    CONF.resolve("templates"),
                    upstreams.formatted(backend, "", PASS_404),
                    CONF.resolve("transforms/product.jslt"),
                    upstreams.formatted(backend, "", PASS_404),
                    CONF.resolve("transforms/product.jslt"),
                    upstreams.formatted(backend, "flaky/", ""),
                    CONF.resolve("transforms/product.jslt")));
    master.awaitProcess(
        "backend-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void theProductApiAggregatesAndRepairsTheBackendsData() throws Exception {
    HttpResponse<String> response = master.get("/api/products/1");
    assertEquals(200, response.statusCode(), response.body());
    JsonNode product = RunningMaster.json(response);
    assertEquals(1, product.get("id").asInt(), "\"1\" became a number");
    assertEquals(12.5, product.get("price").asDouble(), "\"12.50\" became 12.5");
    assertTrue(product.get("price").isNumber());
    assertEquals(0, product.get("discount").asInt(), "null became the default 0");
    assertEquals("Product 1", product.get("name").asText(), "flattened from data.attributes");
    assertEquals(7, product.get("stock").get("available").asInt(), "merged from inventory");
    assertEquals(
        "Seller 7", product.get("seller").get("name").asText(), "seller fetched after the product");
    assertTrue(product.get("reviews").size() >= 1, "merged from reviews");
  }

  @Test
  void badInputIsRefusedAtTheEdgeWithEveryErrorAndTheSchemaIsServed() throws Exception {
    HttpResponse<String> bad = master.get("/api/products/abc");
    assertEquals(400, bad.statusCode(), bad.body());
    JsonNode errors = RunningMaster.json(bad).get("errors");
    assertEquals("/id", errors.get(0).get("field").asText());
    assertEquals(400, master.get("/api/products/0").statusCode(), "below the schema's minimum");

    HttpResponse<String> schema = master.get("/_schema/product-api");
    assertEquals(200, schema.statusCode());
    assertEquals("integer", RunningMaster.json(schema).at("/path/properties/id/type").asText());
    assertEquals(404, master.get("/_schema/nope").statusCode());
  }

  @Test
  void aFailedOptionalUpstreamGivesAPartialAnswerAndAFailedRequiredOneA502() throws Exception {
    HttpResponse<String> partial = master.get("/api/flaky/2");
    assertEquals(200, partial.statusCode(), partial.body());
    JsonNode body = RunningMaster.json(partial);
    assertEquals("reviews", body.get("partial").get(0).get("upstream").asText(), partial.body());
    assertEquals("Product 2", body.get("name").asText());

    HttpResponse<String> missing = master.get("/api/flaky/99");
    assertEquals(502, missing.statusCode(), missing.body());
    JsonNode failure = RunningMaster.json(missing);
    assertEquals("product", failure.get("upstream").asText());
    assertEquals("bad status 404", failure.get("cause").asText());
  }

  @Test
  void anUnknownProductIsTheBackendsOwn404AsAJsonAnswerOrAPage() throws Exception {
    HttpResponse<String> missing = master.get("/api/products/99");
    assertEquals(404, missing.statusCode(), missing.body());
    JsonNode failure = RunningMaster.json(missing);
    assertEquals("product", failure.get("upstream").asText());
    assertEquals("bad status 404", failure.get("cause").asText());

    HttpResponse<String> page = master.get("/products/99");
    assertEquals(404, page.statusCode(), page.body());
    assertTrue(
        page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        page.headers().toString());
    assertTrue(page.body().contains("<dt>upstream</dt><dd>product</dd>"), page.body());

    HttpResponse<String> refused = master.get("/products/abc");
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(
        refused.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        "the edge's refusal on a page route is a page too: " + refused.headers());
    assertTrue(
        refused.body().contains("&#39;abc&#39; is not an integer")
            || refused.body().contains("'abc' is not an integer")
            || refused.body().contains("abc"),
        refused.body());
  }

  @Test
  void theProductPageIsRenderedOnTheServerWithUpstreamTextMadeInert() throws Exception {
    HttpResponse<String> page = master.get("/products/13");
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String html = page.body();
    assertTrue(html.contains("Kettle &lt;script&gt;alert(1)&lt;/script&gt; Deluxe"), html);
    assertFalse(html.contains("<script>alert(1)"), "upstream script is never live markup");
    Matcher state =
        Pattern.compile(
                "<script type=\"application/json\" id=\"initial-state\">(.*?)</script>",
                Pattern.DOTALL)
            .matcher(html);
    assertTrue(state.find(), "the page embeds its data for the client");
    JsonNode initial = new ObjectMapper().readTree(state.group(1));
    assertEquals(
        "Kettle <script>alert(1)</script> Deluxe",
        initial.get("name").asText(),
        "the embedded data parses back to the same text");
  }
}
