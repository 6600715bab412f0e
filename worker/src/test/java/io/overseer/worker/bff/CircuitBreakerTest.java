package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.api.bff.BffRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The per-host breaker: as a state machine on a fake clock, and through the engine against real
 * upstreams.
 */
class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong();
  private final CircuitBreaker breaker =
      new CircuitBreaker("h:1", 3, Duration.ofSeconds(10), now::get);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertTrue(breaker.tryAcquire());
      breaker.onFailure();
    }
  }

  @Test
  void opensAfterConsecutiveFailuresOnly() {
    fail(2);
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    fail(2);
    assertEquals(
        CircuitBreaker.State.CLOSED, breaker.state(), "a success in between resets the count");
    fail(1);
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire());
  }

  @Test
  void halfOpenLetsOneTrialThroughAndItsOutcomeDecides() {
    fail(3);
    now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
    assertFalse(breaker.tryAcquire(), "still open until the reset timeout has passed");
    now.addAndGet(1);
    assertTrue(breaker.tryAcquire(), "the trial");
    assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    assertFalse(breaker.tryAcquire(), "only one trial at a time");
    breaker.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed trial opens it again");
    assertFalse(breaker.tryAcquire());
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertTrue(breaker.tryAcquire());
    breaker.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void engineStopsCallingASickHostAndRecoversAfterTheResetTimeout() {
    AtomicBoolean healthy = new AtomicBoolean();
    try (UpstreamStub sick = UpstreamStub.start();
        UpstreamStub other = UpstreamStub.start();
        BffEngine engine =
            Bff.engine(
                """
            circuit-breaker { max-failures = 3, reset-timeout = 300ms }
            limits.max-retries = 0
            routes.flaky.upstreams.flaky.url = "%s/flaky"
            routes.fine.upstreams.fine.url = "%s/fine"
            """
                    .formatted(sick.base(), other.base()))) {
      sick.on(
          "/flaky",
          ex ->
              healthy.get()
                  ? UpstreamStub.Reply.json("{\"ok\":true}")
                  : new UpstreamStub.Reply(500, "{}"));
      other.json("/fine", "{\"ok\":true}");
      BffRequest flaky = Bff.request("flaky", Map.of());
      for (int i = 0; i < 3; i++) {
        assertEquals("bad status 500", json(call(engine, flaky)).get("cause").asText());
      }
      assertEquals("circuit open", json(call(engine, flaky)).get("cause").asText());
      assertEquals("circuit open", json(call(engine, flaky)).get("cause").asText());
      assertEquals(3, sick.count("/flaky"), "an open breaker does not call the host");
      assertEquals(
          200, call(engine, Bff.request("fine", Map.of())).status(), "other hosts are unaffected");

      healthy.set(true);
      await().atMost(Duration.ofSeconds(10)).until(() -> call(engine, flaky).status() == 200);
      assertEquals(4, sick.count("/flaky"), "exactly one trial call closed the breaker");
      assertEquals(200, call(engine, flaky).status());
      assertEquals(5, sick.count("/flaky"));
    }
  }
}
