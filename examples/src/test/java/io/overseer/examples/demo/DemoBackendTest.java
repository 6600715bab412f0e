package io.overseer.examples.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.examples.demo.DemoHttp.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each endpoint of the demo backend, over real HTTP, against a backend on a free port. */
class DemoBackendTest {
  private final List<DemoBackend> started = new ArrayList<>();

  private DemoHttp start(DemoOptions options) {
    DemoBackend backend = DemoBackend.start(options.withAddress("127.0.0.1", 0));
    started.add(backend);
    return new DemoHttp(backend.port());
  }

  private DemoHttp startDefault() {
    DemoBackend backend = DemoBackend.start("127.0.0.1", 0);
    started.add(backend);
    return new DemoHttp(backend.port());
  }

  @AfterEach
  void stop() {
    started.forEach(DemoBackend::close);
  }

  @Test
  void productIsDeepAndAwkward() {
    Answer one = startDefault().get("/products/1");
    assertEquals(200, one.status());
    assertEquals("application/json", one.raw().headers().firstValue("Content-Type").orElse(""));
    JsonNode attributes = one.body().at("/data/attributes");
    assertEquals("12.50", attributes.at("/price/amount").asText(), "prices are strings");
    assertTrue(attributes.at("/price/amount").isTextual());
    assertEquals("7", one.body().at("/data/relationships/seller/id").asText());
    assertTrue(
        attributes.has("discount") && attributes.get("discount").isNull(), "null fields are sent");
  }

  @Test
  void productThirteenCarriesMarkup() {
    Answer thirteen = startDefault().get("/products/13");
    assertTrue(
        thirteen.body().at("/data/attributes/name").asText().contains("<script>alert(1)</script>"));
  }

  @Test
  void inventoryAndSeller() {
    DemoHttp http = startDefault();
    Answer inventory = http.get("/inventory/1");
    assertEquals(200, inventory.status());
    assertEquals("P-1", inventory.body().get("sku").asText());
    assertEquals("7", inventory.body().at("/stock/available").asText());
    assertTrue(inventory.body().at("/stock/reserved").isNull());

    Answer seller = http.get("/sellers/7");
    assertEquals(200, seller.status());
    assertEquals("7", seller.body().get("id").asText());
    assertEquals("Seller 7", seller.body().at("/profile/display_name").asText());
  }

  @Test
  void reviewsAreSlowAndSomeRatingsNull() {
    Duration delay = DemoOptions.defaults().reviewsDelay();
    Answer reviews = startDefault().get("/reviews?product=3");
    assertEquals(200, reviews.status());
    assertTrue(reviews.body().isArray());
    assertEquals(3, reviews.body().size());
    boolean someNull = false;
    for (JsonNode review : reviews.body()) {
      someNull |= review.get("rating").isNull();
    }
    assertTrue(someNull, "some ratings are null: " + reviews.body());
    // A lower bound only: a loaded machine may be slower, never faster than the configured delay.
    assertTrue(
        reviews.took().compareTo(delay) >= 0,
        "answered after " + reviews.took() + ", delay " + delay);
  }

  @Test
  void aSlowReviewHoldsNoHandlerThread() {
    // One handler thread, and a review that waits longer than this test will: the product can only
    // be answered if the waiting review does not occupy that thread. Closing cuts the review short.
    DemoBackend backend =
        DemoBackend.start(
            DemoOptions.defaults()
                .withAddress("127.0.0.1", 0)
                .withThreads(1)
                .withReviewsDelay(Duration.ofMinutes(10))
                .withStopGrace(Duration.ZERO));
    started.add(backend);
    DemoHttp http = new DemoHttp(backend.port());
    CompletableFuture<Answer> slow = http.getAsync("/reviews?product=1");
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.inFlight() == 1);
    assertEquals(200, http.get("/products/2").status());
    assertFalse(slow.isDone(), "the product was answered while the review still waited");
  }

  @Test
  void flakyFailsEveryNthRequest() {
    DemoHttp http = start(DemoOptions.defaults().withFlakyEvery(3));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      statuses.add(http.get("/flaky/inventory/" + (i + 1)).status());
    }
    assertEquals(List.of(200, 200, 500, 200, 200, 500, 200), statuses);
    Answer eighth = http.get("/flaky/sellers/1");
    assertEquals(
        "Seller 1", eighth.body().at("/profile/display_name").asText(), "the path's own answer");
    Answer ninth = http.get("/flaky/sellers/1");
    assertEquals(500, ninth.status());
    assertEquals(9, ninth.body().get("request").asInt());
  }

  @Test
  void flakyEveryZeroNeverFails() {
    DemoHttp http = start(DemoOptions.defaults().withFlakyEvery(0));
    for (int i = 0; i < 6; i++) {
      assertEquals(200, http.get("/flaky/products/1").status());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/products/21", "/products/0", "/inventory/99", "/sellers/21", "/nope", "/"})
  void unknownIsNotFound(String path) {
    Answer answer = startDefault().get(path);
    assertEquals(404, answer.status());
    assertTrue(answer.body().hasNonNull("error"));
  }

  @Test
  void reviewsOfAnUnknownProductIsNotFound() {
    Answer answer =
        start(DemoOptions.defaults().withReviewsDelay(Duration.ZERO)).get("/reviews?product=21");
    assertEquals(404, answer.status());
    assertEquals(21, answer.body().get("id").asInt());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/products/abc",
        "/products/1/extra",
        "/products",
        "/products/",
        "/sellers/-1",
        "/inventory/12345678901",
        "/reviews",
        "/reviews?product=abc",
        "/reviews/3",
        "/reviews?product=1%202"
      })
  void malformedIsBadRequest(String path) {
    Answer answer = start(DemoOptions.defaults().withReviewsDelay(Duration.ZERO)).get(path);
    assertEquals(400, answer.status(), answer.body().toString());
    assertTrue(answer.body().hasNonNull("error"));
  }

  @Test
  void onlyGet() {
    Answer answer = startDefault().post("/products/1");
    assertEquals(405, answer.status());
    assertEquals("GET", answer.raw().headers().firstValue("Allow").orElse(""));
  }

  @Test
  void closeLetsARequestInFlightFinish() {
    DemoBackend backend =
        DemoBackend.start(
            DemoOptions.defaults()
                .withAddress("127.0.0.1", 0)
                .withReviewsDelay(Duration.ofMillis(500))
                .withStopGrace(Duration.ofSeconds(20)));
    started.add(backend);
    CompletableFuture<Answer> slow = new DemoHttp(backend.port()).getAsync("/reviews?product=2");
    await().atMost(Duration.ofSeconds(20)).until(() -> backend.inFlight() == 1);
    backend.close();
    assertEquals(200, slow.orTimeout(30, TimeUnit.SECONDS).join().status());
  }
}
