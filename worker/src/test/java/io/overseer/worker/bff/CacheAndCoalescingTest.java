package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cache hits and coalesced calls, observed as request counts at the upstream. */
class CacheAndCoalescingTest {
  private final UpstreamStub stub = UpstreamStub.start();
  private final AtomicInteger version = new AtomicInteger();

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void cachedResultsAnswerUntilTheirTtlPasses() {
    stub.on(
        "/reviews",
        ex -> UpstreamStub.Reply.json("{\"version\":" + version.incrementAndGet() + "}"));
    try (BffEngine engine =
        Bff.engine(
            """
        routes.cached.upstreams.reviews { url = "%1$s/reviews?product={path.id}", cache-ttl = 300ms }
        routes.uncached.upstreams.reviews { url = "%1$s/reviews?product={path.id}" }
        """
                .formatted(stub.base()))) {
      BffRequest p1 = Bff.request("cached", Map.of("id", "p1"));
      assertEquals(1, json(call(engine, p1)).at("/reviews/version").asInt());
      assertEquals(1, json(call(engine, p1)).at("/reviews/version").asInt());
      assertEquals(1, stub.count("/reviews"), "the second answer came from the cache");
      assertEquals(1, engine.stats().cacheHits());

      call(engine, Bff.request("cached", Map.of("id", "p2")));
      assertEquals(2, stub.count("/reviews"), "another URL is another entry");
      call(engine, Bff.request("uncached", Map.of("id", "p1")));
      assertEquals(3, stub.count("/reviews"), "a route without cache-ttl always asks");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> json(call(engine, p1)).at("/reviews/version").asInt() > 1);
    }
  }

  @Test
  void forwardedHeadersArePartOfTheCacheKey() {
    stub.on(
        "/greeting",
        ex ->
            UpstreamStub.Reply.json(
                "{\"lang\":\"" + ex.getRequestHeaders().getFirst("accept-language") + "\"}"));
    try (BffEngine engine =
        Bff.engine(
            """
        routes.hello.upstreams.greeting { url = "%s/greeting", cache-ttl = 1h }
        """
                .formatted(stub.base()))) {
      for (String lang : List.of("fr", "de", "fr")) {
        BffRequest request =
            Bff.request("hello", Map.of(), Map.of(), Map.of("accept-language", lang));
        assertEquals(lang, json(call(engine, request)).at("/greeting/lang").asText());
      }
      assertEquals(2, stub.count("/greeting"));
    }
  }

  @Test
  void identicalCallsInFlightAreSentOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stub.on(
        "/products",
        ex -> {
          release.await(20, TimeUnit.SECONDS);
          return UpstreamStub.Reply.json("{\"name\":\"Lamp\"}");
        });
    try (BffEngine engine =
        Bff.engine(
            """
        routes.a.upstreams.product { url = "%1$s/products/{path.id}", timeout = 20s }
        routes.b.upstreams.item { url = "%1$s/products/{path.id}", timeout = 20s }
        circuit-breaker.call-timeout = 20s
        """
                .formatted(stub.base()))) {
      CompletableFuture<BffResponse> first =
          engine.handle(Bff.request("a", Map.of("id", "1"))).toCompletableFuture();
      await().until(() -> stub.count("/products") == 1);
      // Another route, same URL: it joins the call the upstream is holding.
      CompletableFuture<BffResponse> second =
          engine.handle(Bff.request("b", Map.of("id", "1"))).toCompletableFuture();
      await().until(() -> engine.stats().coalesced() == 1);
      release.countDown();
      assertEquals("Lamp", json(first.get(20, TimeUnit.SECONDS)).at("/product/name").asText());
      assertEquals("Lamp", json(second.get(20, TimeUnit.SECONDS)).at("/item/name").asText());
      assertEquals(1, stub.count("/products"));
      assertEquals(0, engine.stats().inFlight());
    }
  }
}
