package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigException;
import io.overseer.api.bff.BffResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages rendered from hostile upstream text: escaped in HTML, inert in the initial-state script.
 */
class ServerSideRenderingTest {
  private static final String STATE_OPEN =
      "<script type=\"application/json\" id=\"initial-state\">";
  private static final String PRODUCT =
      """
      {"name":"<script>alert(1)</script>",
       "description":"</script><script>alert(2)</script> & <!-- \\u2028 \\u2029 \\"quoted\\"",
       "reviews":[{"text":"<img src=x onerror=alert(3)>"},{"text":"fine"}]}""";

  private final UpstreamStub stub = UpstreamStub.start();
  @TempDir Path conf;

  @BeforeEach
  void setUp() throws IOException {
    stub.json("/products", PRODUCT);
    Files.createDirectories(conf.resolve("pages"));
    Files.writeString(
        conf.resolve("pages/product.mustache"),
        """
        <!doctype html>
        <html><head><title>{{title}}</title></head>
        <body>
        <h1>{{title}}</h1>
        <p>{{description}}</p>
        <ul>{{#reviews}}<li>{{text}}</li>{{/reviews}}</ul>
        {{{initialStateScript}}}
        <script src="/app.js"></script>
        {{> footer}}
        </body></html>
        """);
    Files.writeString(conf.resolve("pages/footer.mustache"), "<footer>v1</footer>");
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private String routes() {
    String route =
        """
        upstreams.product.url = "%s/products/{path.id}"
        transform = \"\"\"{"title": .product.name, "description": .product.description, "reviews": .product.reviews}\"\"\"
        """
            .formatted(stub.base());
    return "templates = pages\n"
        + "routes.page {\n"
        + route
        + "template = product.mustache\n}\n"
        + "routes.data {\n"
        + route
        + "}\n";
  }

  /**
   * The worker renders pages, never error pages: a page route's failure is the same JSON answer as
   * a JSON route's (the master's edge shows it as the route's error page), and an {@code
   * error-template} is not the worker's to read (a missing one does not stop it).
   */
  @Test
  void aPageRoutesErrorIsTheSameJsonAnswerAsAJsonRoutes() {
    String gone = "upstreams.product.url = \"" + stub.base() + "/gone/{path.id}\"\n";
    try (BffEngine engine =
        Bff.engine(
            "templates = pages\n"
                + "routes.page {\n"
                + gone
                + "template = product.mustache\nerror-template = not-the-workers.mustache\n}\n"
                + "routes.data {\n"
                + gone
                + "}\n",
            conf)) {
      BffResponse page = call(engine, Bff.request("page", Map.of("id", "1")));
      BffResponse data = call(engine, Bff.request("data", Map.of("id", "1")));
      assertEquals(502, page.status());
      assertEquals(BffResponse.JSON, page.contentType());
      assertEquals("upstream failed", json(page).get("error").asText());
      assertEquals("page", json(page).get("route").asText());
      assertEquals("product", json(page).get("upstream").asText());
      assertEquals("bad status 404", json(page).get("cause").asText());
      assertEquals(data.status(), page.status());
      assertEquals(data.contentType(), page.contentType());
      assertEquals(
          ((ObjectNode) json(data)).without("route"),
          ((ObjectNode) json(page)).without("route"),
          "the same error, route aside");
    }
  }

  @Test
  void upstreamTextIsEscapedAndTheInitialStateCannotCloseItsScript() {
    try (BffEngine engine = Bff.engine(routes(), conf)) {
      BffResponse page = call(engine, Bff.request("page", Map.of("id", "1")));
      assertEquals(200, page.status());
      assertEquals(BffResponse.HTML, page.contentType());
      String html = page.body();
      assertFalse(html.contains("<script>alert"), html);
      assertFalse(html.contains("<img"), html);
      assertTrue(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), html);
      assertEquals(
          2, html.split("<script", -1).length - 1, "only the page's own two script elements");
      assertTrue(
          html.contains("<footer>v1</footer>"), "partials are resolved in the template directory");

      int start = html.indexOf(STATE_OPEN) + STATE_OPEN.length();
      String state = html.substring(start, html.indexOf("</script>", start));
      for (String forbidden : new String[] {"<", ">", "&", "\u2028", "\u2029"}) {
        assertFalse(state.contains(forbidden), "initial state contains " + forbidden);
      }
      BffResponse data = call(engine, Bff.request("data", Map.of("id", "1")));
      assertEquals(json(data), json(state), "the embedded state parses back to the composed data");
      assertEquals(
          "</script><script>alert(2)</script> & <!-- \u2028 \u2029 \"quoted\"",
          json(state).get("description").asText());
    }
  }

  @Test
  void templatesAreReadAtStartAndReReadByANewEngine() throws IOException {
    try (BffEngine engine = Bff.engine(routes(), conf)) {
      Files.writeString(conf.resolve("pages/footer.mustache"), "<footer>v2</footer>");
      assertTrue(call(engine, Bff.request("page", Map.of("id", "1"))).body().contains("v1"));
    }
    try (BffEngine reloaded = Bff.engine(routes(), conf)) {
      assertTrue(call(reloaded, Bff.request("page", Map.of("id", "1"))).body().contains("v2"));
    }
  }

  @Test
  void aMissingTemplateStopsTheEngineAtStart() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> Bff.engine("templates = pages\nroutes.page.template = nowhere.mustache", conf));
    assertTrue(e.getMessage().contains("nowhere.mustache"), e.getMessage());
    ConfigException noDirectory =
        assertThrows(
            ConfigException.class,
            () -> Bff.engine("routes.page.template = product.mustache", conf));
    assertTrue(
        noDirectory.getMessage().contains(conf.resolve("templates").toString()),
        noDirectory.getMessage());
  }
}
