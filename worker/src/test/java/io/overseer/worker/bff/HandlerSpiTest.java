package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes answered by Java handlers found through ServiceLoader; unknown routes. */
class HandlerSpiTest {
  private final UpstreamStub stub =
      UpstreamStub.start()
          .json("/profiles", "{\"first\":\"Ada\",\"last\":\"Lovelace\"}")
          .on("/down", ex -> new UpstreamStub.Reply(503, "{}"));

  @AfterEach
  void stop() {
    stub.close();
  }

  private BffEngine engine() {
    return Bff.engine(
        """
        limits.max-retries = 0
        routes.profile { handler = test-profile, settings.profile-url = "%1$s/profiles", cache-ttl = 1h }
        routes.down { handler = test-profile, settings.profile-url = "%1$s/down" }
        routes.stalled.handler = test-stalled
        routes.failing.handler = test-failing
        """
            .formatted(stub.base()));
  }

  @Test
  void handlerCallsUpstreamsThroughTheEngineClient() {
    try (BffEngine engine = engine()) {
      BffRequest request =
          Bff.request(
              "profile",
              Map.of("id", "u1"),
              Map.of("lang", List.of("fr")),
              Map.of("X-Request-Id", "r-1"));
      BffResponse response = call(engine, request);
      assertEquals(200, response.status());
      assertEquals(
          json(
              """
          {"id":"u1","displayName":"Ada Lovelace","lang":"fr","requestId":"r-1","deadlineKnown":true}"""),
          json(response));
      call(engine, request);
      assertEquals(
          1, stub.count("/profiles"), "the route's cache-ttl applies to the handler's calls");
      assertEquals(
          "r-1",
          stub.seen().get(0).getRequestHeaders().getFirst("x-request-id"),
          "allowlisted headers are forwarded for handlers too");
    }
  }

  @Test
  void upstreamFailureInAHandlerIs502NamingTheHost() {
    try (BffEngine engine = engine()) {
      BffResponse response = call(engine, Bff.request("down", Map.of("id", "u1")));
      assertEquals(502, response.status());
      assertEquals(
          json(
              "{\"error\":\"upstream failed\",\"route\":\"down\",\"upstream\":\""
                  + stub.base().substring("http://".length())
                  + "\",\"cause\":\"bad status 503\"}"),
          json(response));
    }
  }

  @Test
  void handlerPastTheDeadlineIs504AndAThrowingHandlerIs500() {
    try (BffEngine engine = engine()) {
      BffRequest stalled =
          new BffRequest(
              "stalled",
              Map.of(),
              Map.of(),
              Map.of(),
              null,
              Instant.now().plus(Duration.ofMillis(200)));
      assertEquals(
          json("{\"error\":\"deadline exceeded\",\"route\":\"stalled\"}"),
          json(call(engine, stalled)));
      BffResponse failing = call(engine, Bff.request("failing", Map.of()));
      assertEquals(500, failing.status());
      assertEquals(json("{\"error\":\"internal error\",\"route\":\"failing\"}"), json(failing));
    }
  }

  @Test
  void unknownRouteIs404() {
    try (BffEngine engine = engine()) {
      BffResponse response = call(engine, Bff.request("nope", Map.of()));
      assertEquals(404, response.status());
      assertEquals(BffResponse.JSON, response.contentType());
      assertEquals(json("{\"error\":\"unknown route\",\"route\":\"nope\"}"), json(response));
    }
  }

  @Test
  void aRouteNamingAnUnknownHandlerStopsTheEngineAtStart() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Bff.engine("routes.x.handler = missing"));
    assertTrue(
        e.getMessage().contains("missing") && e.getMessage().contains("test-profile"),
        e.getMessage());
  }

  @Test
  void aHandlersLinesFromUpstreamThreadsCarryTheRequestId() {
    ch.qos.logback.classic.Logger handlerLog =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("io.overseer.worker.bff.handler.test-profile");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    var appender =
        new ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
            // The MDC is read while the line is written, as an encoder does.
            lines.add(
                event.getFormattedMessage() + " req=" + event.getMDCPropertyMap().get("requestId"));
          }
        };
    appender.setContext(handlerLog.getLoggerContext());
    appender.start();
    handlerLog.addAppender(appender);
    try (BffEngine engine = engine()) {
      BffResponse response =
          call(
              engine,
              Bff.request("profile", Map.of("id", "u2"), Map.of(), Map.of("X-Request-Id", "r-2")));
      assertEquals(200, response.status());
    } finally {
      handlerLog.detachAppender(appender);
    }
    String fetched =
        lines.stream().filter(l -> l.startsWith("profile fetched")).findFirst().orElseThrow();
    assertTrue(fetched.endsWith(" req=r-2"), fetched);
    assertTrue(
        fetched.contains("thread=overseer-upstream-"), "logged on an upstream thread: " + fetched);
    assertTrue(lines.stream().allMatch(l -> l.endsWith(" req=r-2")), lines.toString());
  }
}
