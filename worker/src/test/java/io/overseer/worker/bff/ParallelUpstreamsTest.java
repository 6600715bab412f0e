package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Independent calls run in parallel and dependent ones wait, proven by what the upstreams see, not
 * by time.
 */
class ParallelUpstreamsTest {
  private final UpstreamStub stub = UpstreamStub.start();

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void independentCallsAreInFlightTogether() {
    CountDownLatch productArrived = new CountDownLatch(1);
    CountDownLatch inventoryArrived = new CountDownLatch(1);
    // Each stub holds its answer until it has seen the other's request: called one after the other,
    // the
    // first would wait out the latch and answer false.
    stub.on(
        "/products",
        ex -> {
          productArrived.countDown();
          return UpstreamStub.Reply.json(
              "{\"sawInventory\":" + inventoryArrived.await(10, TimeUnit.SECONDS) + "}");
        });
    stub.on(
        "/inventory",
        ex -> {
          inventoryArrived.countDown();
          return UpstreamStub.Reply.json(
              "{\"sawProduct\":" + productArrived.await(10, TimeUnit.SECONDS) + "}");
        });
    try (BffEngine engine =
        Bff.engine(
            """
        routes.page.upstreams {
          product { url = "%1$s/products/{path.id}", timeout = 20s }
          inventory { url = "%1$s/inventory/{path.id}", timeout = 20s }
        }
        circuit-breaker.call-timeout = 20s
        """
                .formatted(stub.base()))) {
      JsonNode body = json(call(engine, Bff.request("page", Map.of("id", "7"))));
      assertTrue(body.at("/product/sawInventory").asBoolean(), body.toString());
      assertTrue(body.at("/inventory/sawProduct").asBoolean(), body.toString());
    }
  }

  @Test
  void dependentCallStartsOnlyAfterItsDependencyAnswered() {
    AtomicBoolean productAnswering = new AtomicBoolean();
    AtomicBoolean sellerCameFirst = new AtomicBoolean();
    stub.on(
        "/products",
        ex -> {
          productAnswering.set(true);
          return UpstreamStub.Reply.json("{\"id\":\"p1\",\"seller\":{\"id\":\"s-42\"}}");
        });
    stub.on(
        "/sellers",
        ex -> {
          sellerCameFirst.set(!productAnswering.get());
          return UpstreamStub.Reply.json(
              "{\"name\":\"Acme\",\"path\":\"" + ex.getRequestURI().getPath() + "\"}");
        });
    // seller is declared first: the order of calls comes from the templates, not from the config
    // order.
    try (BffEngine engine =
        Bff.engine(
            """
        routes.page.upstreams {
          seller { url = "%1$s/sellers/{product.seller.id}" }
          product { url = "%1$s/products/{path.id}" }
        }
        """
                .formatted(stub.base()))) {
      JsonNode body = json(call(engine, Bff.request("page", Map.of("id", "p1"))));
      assertFalse(sellerCameFirst.get());
      // The seller's URL holds a value only the product's answer contained.
      assertEquals("/sellers/s-42", body.at("/seller/path").asText());
      assertEquals("Acme", body.at("/seller/name").asText());
      assertEquals(1, stub.count("/sellers"));
    }
  }
}
