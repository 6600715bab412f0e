package io.overseer.worker.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.overseer.api.bff.UpstreamException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route mistakes that would only show under traffic are refused when the engine starts. */
class RouteConfigTest {

  private static void refused(String bffBlock, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> Bff.engine(bffBlock));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void dependencyCycle() {
    refused(
        """
        routes.r.upstreams {
          a.url = "http://127.0.0.1:1/{c.id}"
          b.url = "http://127.0.0.1:1/{a.id}"
          c.url = "http://127.0.0.1:1/{b.id}"
        }""",
        "cycle: [a, c, b, a]");
  }

  @Test
  void unknownRootOrReservedName() {
    refused(
        "routes.r.upstreams.a.url = \"http://127.0.0.1:1/{nothing.id}\"",
        "names no other upstream");
    refused("routes.r.upstreams.a.url = \"http://127.0.0.1:1/{a.id}\"", "names no other upstream");
    refused("routes.r.upstreams.query.url = \"http://127.0.0.1:1/\"", "reserved");
  }

  @Test
  void badJsltOrHandlerMixedWithUpstreams() {
    refused("routes.r.transform = \"{ .a \"", "transform does not compile");
    refused(
        "routes.r { handler = test-profile, upstreams.a.url = \"http://127.0.0.1:1/\" }",
        "handler route");
  }

  @Test
  void restrictedForwardHeader() {
    refused("forward-headers = [Host]", "'host'");
  }

  @Test
  void threadCountsBelowOne() {
    refused("upstream-threads = 0", "overseer.bff.upstream-threads");
    refused("client-threads = -1", "overseer.bff.client-threads");
  }

  @Test
  void placeholdersDeriveRootsAndEncodeValues() {
    Placeholders url =
        Placeholders.parse("http://h/{path.id}/{product.seller.id}?q={query.q}&x={items.list.1}");
    assertEquals(List.of("path", "product", "query", "items"), List.copyOf(url.roots()));
    Map<String, com.fasterxml.jackson.databind.JsonNode> roots =
        Map.of(
            "path", Bff.json("{\"id\":\"..\"}"),
            "product", Bff.json("{\"seller\":{\"id\":42}}"),
            "query", Bff.json("{\"q\":[\"é/?\",\"second\"]}"),
            "items", Bff.json("{\"list\":[\"a\",\"b\"]}"));
    assertEquals(
        "http://h/%2E%2E/42?q=%C3%A9%2F%3F&x=b", url.render("u", roots::get, Placeholders.URL));
    UpstreamException e =
        assertThrows(
            UpstreamException.class,
            () -> url.render("u", Map.of("path", Bff.json("{}"))::get, Placeholders.URL));
    assertEquals("unresolved {path.id}", e.reason());
    assertEquals(
        List.of(), List.copyOf(Placeholders.parse("{\"id\": 1}").roots()), "JSON braces are text");
  }

  @Test
  void valuesAreEncodedAsRfc3986NotAsHtmlForms() {
    Placeholders url = Placeholders.parse("http://h/{path.id}");
    var roots = Map.of("path", Bff.json("{\"id\":\"a b*c~d+e.f-g_h\"}"));
    assertEquals("http://h/a%20b%2Ac~d%2Be.f-g_h", url.render("u", roots::get, Placeholders.URL));
  }
}
