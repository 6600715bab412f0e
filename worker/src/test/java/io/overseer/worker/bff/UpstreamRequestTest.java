package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpExchange;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the upstream receives: encoded URL values, only allowlisted headers, templated bodies. */
class UpstreamRequestTest {
  private final UpstreamStub stub = UpstreamStub.start().on("/echo", UpstreamRequestTest::echo);

  private static UpstreamStub.Reply echo(HttpExchange ex) throws Exception {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    return UpstreamStub.Reply.json(
        Bff.JSON
            .createObjectNode()
            .put("method", ex.getRequestMethod())
            .put("uri", ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery())
            .put("language", ex.getRequestHeaders().getFirst("accept-language"))
            .put("cookie", ex.getRequestHeaders().getFirst("cookie"))
            .put("body", body)
            .toString());
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void valuesArePercentEncodedAndOnlyAllowlistedHeadersGoUpstream() {
    try (BffEngine engine =
        Bff.engine(
            """
        routes.search.upstreams.echo.url = "%s/echo/{path.id}?q={query.q}"
        """
                .formatted(stub.base()))) {
      BffRequest request =
          Bff.request(
              "search",
              Map.of("id", "../admin"),
              Map.of("q", List.of("a b&c=d#e")),
              Map.of("Accept-Language", "fr-CH", "Cookie", "session=secret"));
      var echo = json(call(engine, request)).get("echo");
      assertEquals("/echo/..%2Fadmin?q=a%20b%26c%3Dd%23e", echo.get("uri").asText());
      assertEquals("fr-CH", echo.get("language").asText());
      assertEquals("GET", echo.get("method").asText());
      assertEquals(true, echo.get("cookie").isNull(), "cookie is not on the allowlist");
    }
  }

  @Test
  void bodyTemplateIsFilledWithJsonEscapedValues() {
    try (BffEngine engine =
        Bff.engine(
            """
        routes.order.upstreams.echo {
          url = "%s/echo/orders"
          method = POST
          body = \"\"\"{"item": "{body.item.id}", "note": "{query.note}"}\"\"\"
        }
        """
                .formatted(stub.base()))) {
      BffRequest request =
          new BffRequest(
              "order",
              Map.of(),
              Map.of("note", List.of("say \"hi\"")),
              Map.of(),
              "{\"item\":{\"id\":\"i-3\"}}",
              java.time.Instant.now().plus(Bff.PATIENCE));
      var echo = json(call(engine, request)).get("echo");
      assertEquals("POST", echo.get("method").asText());
      assertEquals(
          json("{\"item\":\"i-3\",\"note\":\"say \\\"hi\\\"\"}"), json(echo.get("body").asText()));
    }
  }

  @Test
  void everyMethodReachesTheUpstreamWithItsBodyPatchThroughTheAsynchronousClient() {
    // PATCH is the one HttpURLConnection cannot send: it goes through java.net.http instead.
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "GET")) {
      boolean withBody = !method.equals("GET") && !method.equals("DELETE");
      try (BffEngine engine =
          Bff.engine(
              """
          routes.order.upstreams.echo {
            url = "%s/echo/orders"
            method = %s
            %s
          }
          """
                  .formatted(
                      stub.base(), method, withBody ? "body = \"\"\"{\"n\": 1}\"\"\"" : ""))) {
        var echo = json(call(engine, Bff.request("order", Map.of()))).get("echo");
        assertEquals(method, echo.get("method").asText(), echo.toString());
        assertEquals(withBody ? "{\"n\": 1}" : "", echo.get("body").asText(), method);
      }
    }
  }

  @Test
  void aMissingValueFailsTheCallInsteadOfCallingAWrongUrl() {
    try (BffEngine engine =
        Bff.engine(
            """
        routes.search.upstreams.echo.url = "%s/echo/{query.id}"
        """
                .formatted(stub.base()))) {
      BffResponse response = call(engine, Bff.request("search", Map.of()));
      assertEquals(502, response.status());
      assertEquals("unresolved {query.id}", json(response).get("cause").asText());
      assertEquals(0, stub.count("/echo"));
      assertNull(json(response).get("partial"));
    }
  }
}
