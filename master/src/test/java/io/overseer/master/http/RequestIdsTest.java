package io.overseer.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edge's request ids: which a client may choose, the ones made, and that every answer has one.
 */
class RequestIdsTest {
  private static final String MADE = "[0-9a-f]{32}";
  private static final RequestIds IDS = new RequestIds(128, false);
  private static ActorSystem system;
  private static int port;
  private final HttpClient client = HttpClient.newHttpClient();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "4bf92f35-77b3-4da6-a3ce-929d0e0e4736",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "dGVzdA+/=",
        "svc.web:req_1-2",
      })
  void aClientsIdOfSafeCharactersIsKept(String id) {
    assertTrue(IDS.isValid(id));
    assertEquals(id, IDS.accept(Optional.of(id)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "a b", "a\"b", "a;b", "a,b", "<script>", "a%20b", "é", "a\tb", "a\\b", "a'b"})
  void anIdWithAnotherCharacterIsReplaced(String id) {
    assertFalse(IDS.isValid(id));
    String used = IDS.accept(Optional.of(id));
    assertTrue(used.matches(MADE), used);
  }

  @Test
  void theLengthLimitIsInclusive() {
    assertTrue(IDS.isValid("x".repeat(128)));
    assertFalse(IDS.isValid("x".repeat(129)));
    assertTrue(new RequestIds(4, false).isValid("abcd"));
    assertFalse(new RequestIds(4, false).isValid("abcde"));
  }

  @Test
  void withoutAnIdOneIsMadeEachTime() {
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = IDS.accept(Optional.empty());
      assertTrue(id.matches(MADE), id);
      made.add(id);
    }
    assertEquals(1000, made.size());
    assertFalse(IDS.isValid(null));
  }

  @Test
  void theLimitComesFromConfigAndMustBePositive() {
    RequestIds fromReference = RequestIds.create(ConfigFactory.load());
    assertTrue(fromReference.isValid("x".repeat(128)));
    assertFalse(fromReference.isValid("x".repeat(129)));
    var error = assertThrows(IllegalArgumentException.class, () -> new RequestIds(0, false));
    assertTrue(error.getMessage().contains("overseer.http.request-id-max-length"));
  }

  // ---- the directive, on a real socket --------------------------------------------------------

  private static final class Routes extends AllDirectives {
    Route routes() {
      return concat(
          path("echo", () -> extractRequest(r -> complete(RequestIds.of(r)))),
          path(
              "relayed",
              () ->
                  complete(
                      org.apache.pekko.http.javadsl.model.HttpResponse.create()
                          .addHeader(RawHeader.create("X-Request-Id", "the-worker's")))),
          path("never", () -> completeWithFuture(new java.util.concurrent.CompletableFuture<>())),
          path(
              "boom",
              () -> {
                throw new IllegalStateException("boom");
              }));
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    system =
        ActorSystem.create(
            "request-ids",
            ConfigFactory.parseString(
                "pekko.loglevel = OFF, pekko.actor.provider = local,"
                    + " pekko.http.server.request-timeout = 1s"));
    port =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(
                IDS.handler(
                    EdgeErrors.handled(new Routes().routes()), RequestIdsTest::direct, system))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .localAddress()
            .getPort();
  }

  /** Answers three paths before the routes, as the edge answers GET /compute; declines the rest. */
  private static java.util.concurrent.CompletionStage<
          org.apache.pekko.http.javadsl.model.HttpResponse>
      direct(org.apache.pekko.http.javadsl.model.HttpRequest request, String id) {
    return switch (request.getUri().path()) {
      case "/direct/echo" ->
          java.util.concurrent.CompletableFuture.completedFuture(
              org.apache.pekko.http.javadsl.model.HttpResponse.create().withEntity(id));
      case "/direct/relayed" ->
          java.util.concurrent.CompletableFuture.completedFuture(
              org.apache.pekko.http.javadsl.model.HttpResponse.create()
                  .addHeader(RawHeader.create("X-Request-Id", "the-worker's")));
      case "/direct/never" -> new java.util.concurrent.CompletableFuture<>();
      default -> null;
    };
  }

  @Test
  void aDirectAnswerCarriesTheSameIdAsTheRoutesGive() throws Exception {
    HttpResponse<String> given = get("/direct/echo", "given-2");
    assertEquals("given-2", given.body());
    assertEquals("given-2", idOf(given));

    HttpResponse<String> replaced = get("/direct/echo", "bad id");
    assertTrue(replaced.body().matches(MADE), replaced.body());
    assertEquals(replaced.body(), idOf(replaced));

    HttpResponse<String> relayed = get("/direct/relayed", "d-edge");
    assertEquals("d-edge", idOf(relayed), "the edge's, not the one in the relayed answer");

    HttpResponse<String> timedOut = get("/direct/never", "d-503");
    assertEquals(503, timedOut.statusCode());
    assertEquals("d-503", idOf(timedOut), "Pekko's request-timeout answer too");
    assertTrue(timedOut.body().contains("request-timeout"), timedOut.body());
  }

  @AfterAll
  static void unbind() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> get(String path, String id) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (id != null) {
      request.header("X-Request-Id", id);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String idOf(HttpResponse<String> response) {
    List<String> ids = response.headers().allValues("X-Request-Id");
    assertEquals(1, ids.size(), ids.toString());
    return ids.get(0);
  }

  @Test
  void theRoutesSeeTheIdTheAnswerCarries() throws Exception {
    HttpResponse<String> given = get("/echo", "given-1");
    assertEquals("given-1", given.body());
    assertEquals("given-1", idOf(given));

    HttpResponse<String> made = get("/echo", null);
    assertTrue(made.body().matches(MADE), made.body());
    assertEquals(made.body(), idOf(made));

    HttpResponse<String> replaced = get("/echo", "bad id");
    assertTrue(replaced.body().matches(MADE), replaced.body());
    assertEquals(replaced.body(), idOf(replaced));
  }

  @Test
  void rejectionsFailuresAndRelayedAnswersCarryTheEdgesId() throws Exception {
    HttpResponse<String> notFound = get("/nope", "r-404");
    assertEquals(404, notFound.statusCode());
    assertEquals("r-404", idOf(notFound));

    HttpResponse<String> failed = get("/boom", "r-500");
    assertEquals(500, failed.statusCode());
    assertEquals("r-500", idOf(failed));

    HttpResponse<String> timedOut = get("/never", "r-503");
    assertEquals(503, timedOut.statusCode());
    assertEquals("r-503", idOf(timedOut), "Pekko's request-timeout answer too");
    assertTrue(timedOut.body().contains("request-timeout"), timedOut.body());

    HttpResponse<String> relayed = get("/relayed", "r-edge");
    assertEquals("r-edge", idOf(relayed), "the edge's, not the one in the relayed answer");
    assertNotEquals("the-worker's", idOf(get("/relayed", null)));
  }
}
