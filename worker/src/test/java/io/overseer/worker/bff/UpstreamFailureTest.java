package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.BffResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Optional upstreams degrade the answer; each kind of required-upstream failure is a documented
 * 502.
 */
class UpstreamFailureTest {
  private static final String LIMITS =
      """
      limits { max-response-size = 1KiB, max-json-depth = 16, max-retries = 0 }
      """;

  private final UpstreamStub stub = UpstreamStub.start();

  @BeforeEach
  void upstreams() {
    stub.json("/products", "{\"id\":\"p1\",\"name\":\"Lamp\"}")
        .on(
            "/slow",
            ex -> {
              stub.closing.await(30, TimeUnit.SECONDS);
              return UpstreamStub.Reply.json("{}");
            })
        .on("/broken", ex -> new UpstreamStub.Reply(503, "{\"error\":\"down\"}"))
        .on("/missing", ex -> new UpstreamStub.Reply(404, "{}"))
        .on("/html", ex -> UpstreamStub.Reply.json("<html>oops</html>"))
        .on("/big", ex -> UpstreamStub.Reply.json(bigJson()))
        .on("/big-chunked", ex -> new UpstreamStub.Reply(200, bigJson(), true))
        .trickling("/trickle", java.time.Duration.ofMillis(20))
        .on("/deep", ex -> UpstreamStub.Reply.json("[".repeat(40) + "]".repeat(40)));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private static String bigJson() {
    return "{\"text\":\"" + "x".repeat(4096) + "\"}";
  }

  @Test
  void failedOptionalUpstreamsAreNamedInPartial() {
    try (BffEngine engine =
        Bff.engine(
            LIMITS
                + """
        routes.page {
          upstreams {
            product { url = "%1$s/products/{path.id}" }
            reviews { url = "%1$s/slow/reviews", required = false, timeout = 200ms }
            inventory { url = "%1$s/broken/inventory", required = false }
            related { url = "%1$s/products/{inventory.relatedId}", required = false }
          }
          transform = \"\"\"{"name": .product.name, "reviews": fallback(.reviews, [])}\"\"\"
        }
        """
                    .formatted(stub.base()))) {
      BffResponse response = call(engine, Bff.request("page", Map.of("id", "p1")));
      assertEquals(200, response.status());
      JsonNode body = json(response);
      assertEquals("Lamp", body.get("name").asText());
      assertEquals(
          json(
              """
          [{"upstream":"reviews","cause":"timeout"},
           {"upstream":"inventory","cause":"bad status 503"},
           {"upstream":"related","cause":"dependency inventory failed"}]"""),
          body.get("partial"));
    }
  }

  @Test
  void requiredTimeout() {
    assertRequiredFails("/slow", "timeout", "timeout = 200ms");
  }

  @Test
  void aBodyThatTricklesInPastTheLimitIsATimeout() {
    // Every byte arrives within any read timeout: only the limit of the whole exchange ends it.
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> assertRequiredFails("/trickle", "timeout", "timeout = 300ms"));
  }

  @Test
  void requiredConnectionRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    assertRequiredFails("http://127.0.0.1:" + closedPort + "/products/1", "connection refused", "");
  }

  @Test
  void requiredBadStatus() {
    assertRequiredFails("/broken", "bad status 503", "");
    assertRequiredFails("/missing", "bad status 404", "");
  }

  @Test
  void aRequiredUpstreamsPassStatusIsTheRoutesOwnAnswerNamingTheUpstream() {
    try (BffEngine engine =
        Bff.engine(
            LIMITS
                + """
        routes.post.upstreams.post { url = "%1$s/missing/{path.id}", pass-statuses = [404, 410] }
        routes.other.upstreams.post { url = "%1$s/broken/{path.id}", pass-statuses = [404] }
        """
                    .formatted(stub.base()))) {
      BffResponse missing = call(engine, Bff.request("post", Map.of("id", "999")));
      assertEquals(404, missing.status(), missing.body());
      assertEquals(BffResponse.JSON, missing.contentType());
      assertEquals(
          json(
              "{\"error\":\"upstream answered 404\",\"route\":\"post\",\"upstream\":\"post\","
                  + "\"cause\":\"bad status 404\"}"),
          json(missing));
      BffResponse broken = call(engine, Bff.request("other", Map.of("id", "1")));
      assertEquals(502, broken.status(), "a status not listed is still a 502: " + broken.body());
    }
  }

  @Test
  void onlyErrorStatusesCanBePassed() {
    var bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            com.typesafe.config.ConfigException.class,
            () ->
                Bff.engine(
                    "routes.r.upstreams.u { url = \"http://127.0.0.1:1/x\", pass-statuses = [200] }"));
    org.junit.jupiter.api.Assertions.assertTrue(
        bad.getMessage().contains("pass-statuses"), bad.getMessage());
  }

  @Test
  void requiredMalformedJson() {
    assertRequiredFails("/html", "malformed JSON", "");
  }

  @Test
  void requiredResponseTooLarge() {
    assertRequiredFails("/big", "response too large", "");
    assertRequiredFails("/big-chunked", "response too large", "");
  }

  @Test
  void requiredJsonTooDeep() {
    assertRequiredFails("/deep", "JSON too deep", "");
  }

  @Test
  void transientFailuresOfIdempotentCallsAreRetriedOthersNot() {
    try (BffEngine engine =
        Bff.engine(
            """
        limits { max-retries = 2, retry-backoff = 1ms }
        routes.r.upstreams {
          down { url = "%1$s/broken/x" }
          missing { url = "%1$s/missing/x", required = false }
          post { url = "%1$s/broken/y", method = POST, required = false }
        }
        """
                .formatted(stub.base()))) {
      assertEquals(502, call(engine, Bff.request("r", Map.of())).status());
      // The 404 and the POST may not have been sent yet when the 503s ended the route: wait for
      // them.
      org.awaitility.Awaitility.await().until(() -> stub.seen().size() == 5);
      assertEquals(4, stub.count("/broken"), "GET 503: 1 + 2 retries; POST 503: never retried");
      assertEquals(1, stub.count("/missing"), "404 is the caller's mistake: never retried");
    }
  }

  private void assertRequiredFails(String url, String cause, String extra) {
    String full = url.startsWith("http") ? url : stub.base() + url;
    try (BffEngine engine =
        Bff.engine(
            LIMITS
                + """
        routes.page.upstreams {
          product { url = "%s/products/{path.id}" }
          sick { url = "%s", %s }
          extra { url = "%s/products/2", required = false }
        }
        """
                    .formatted(stub.base(), full, extra, stub.base()))) {
      BffResponse response = call(engine, Bff.request("page", Map.of("id", "p1")));
      assertEquals(502, response.status(), response.body());
      assertEquals(BffResponse.JSON, response.contentType());
      assertEquals(
          json(
              "{\"error\":\"upstream failed\",\"route\":\"page\",\"upstream\":\"sick\",\"cause\":\""
                  + cause
                  + "\"}"),
          json(response));
    }
  }
}
