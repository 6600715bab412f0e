package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static io.overseer.worker.bff.Bff.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data repair and reshaping with JSLT over several upstreams. */
class ComposeTest {
  private static final String PRODUCT =
      """
      {"id":"p1","name":"Lamp","price":{"amount":"12.50","currency":"EUR"},
       "details":{"dimensions":{"weight":{"kg":"1.2"}}},"color":null,"seller":{"id":"s-9"}}""";

  private final UpstreamStub stub = UpstreamStub.start();

  @BeforeEach
  void startUpstreams() {
    stub.json("/products", PRODUCT)
        .json("/inventory", "{\"stock\":3}")
        .json("/reviews", "{\"items\":[{\"stars\":5},{\"stars\":3}]}")
        .json("/sellers", "{\"name\":\"Acme\",\"rating\":\"4.5\"}");
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  private String upstreams() {
    return """
        upstreams {
          product { url = "%1$s/products/{path.id}" }
          inventory { url = "%1$s/inventory/{path.id}" }
          reviews { url = "%1$s/reviews?product={path.id}" }
          seller { url = "%1$s/sellers/{product.seller.id}" }
        }
        """
        .formatted(stub.base());
  }

  @Test
  void renamesFlattensDefaultsCoercesAndMerges() {
    String route =
        "routes.product {\n"
            + upstreams()
            + """
        transform = \"\"\"
          {
            "id": .product.id,
            "title": .product.name,
            "price": number(.product.price.amount),
            "currency": .product.price.currency,
            "weightKg": number(.product.details.dimensions.weight.kg),
            "color": fallback(.product.color, "unspecified"),
            "badge": fallback(.product.badge, "none"),
            "inStock": .inventory.stock > 0,
            "stars": [for (.reviews.items) .stars],
            "seller": { "name": .seller.name, "rating": number(.seller.rating, 0) },
            "lang": fallback(.query.lang, "en")
          }
        \"\"\"
        }""";
    try (BffEngine engine = Bff.engine(route)) {
      BffResponse response = call(engine, Bff.request("product", Map.of("id", "p1")));
      assertEquals(200, response.status());
      assertEquals(BffResponse.JSON, response.contentType());
      JsonNode expected =
          json(
              """
          {"id":"p1","title":"Lamp","price":12.5,"currency":"EUR","weightKg":1.2,"color":"unspecified",
           "badge":"none","inStock":true,"stars":[5,3],"seller":{"name":"Acme","rating":4.5},"lang":"en"}""");
      assertEquals(expected, json(response));
      assertTrue(json(response).get("price").isNumber(), "\"12.50\" became a number");
    }
  }

  @Test
  void withoutTransformAnswersEachUpstreamByName() {
    try (BffEngine engine = Bff.engine("routes.raw {\n" + upstreams() + "}")) {
      JsonNode body = json(call(engine, Bff.request("raw", Map.of("id", "p1"))));
      assertEquals(json(PRODUCT), body.get("product"));
      assertEquals(3, body.at("/inventory/stock").asInt());
      assertEquals("Acme", body.at("/seller/name").asText());
      assertFalse(body.has("partial"), "nothing failed, so nothing is partial");
    }
  }

  @Test
  void transformFileIsReadRelativeToTheConfigDirectory(@TempDir Path conf) throws IOException {
    Files.createDirectories(conf.resolve("transforms"));
    Files.writeString(
        conf.resolve("transforms/merge.jslt"),
        "{ \"name\": .product.name, \"stock\": .inventory.stock, \"reviews\": size(.reviews.items) }");
    String route =
        "routes.merged {\n" + upstreams() + "transform-file = \"transforms/merge.jslt\"\n}";
    try (BffEngine engine = Bff.engine(route, conf)) {
      JsonNode body = json(call(engine, Bff.request("merged", Map.of("id", "p1"))));
      assertEquals(json("{\"name\":\"Lamp\",\"stock\":3,\"reviews\":2}"), body);
    }
  }

  @Test
  void transformSeesPathQueryAndBody() {
    try (BffEngine engine =
        Bff.engine(
            """
        routes.echo.transform = \"\"\"{"id": .path.id, "lang": .query.lang, "tags": .query.tag, "qty": .body.qty}\"\"\"
        """)) {
      BffRequest request =
          new BffRequest(
              "echo",
              Map.of("id", "9"),
              Map.of("lang", List.of("de"), "tag", List.of("a", "b")),
              Map.of(),
              "{\"qty\":2}",
              java.time.Instant.now().plus(Bff.PATIENCE));
      assertEquals(
          json("{\"id\":\"9\",\"lang\":\"de\",\"tags\":[\"a\",\"b\"],\"qty\":2}"),
          json(call(engine, request)));
    }
  }

  @Test
  void aTransformThatFailsOnTheDataIs500() {
    String route =
        "routes.bad {\n" + upstreams() + "transform = \"{ \\\"n\\\": number(.product.name) }\"\n}";
    try (BffEngine engine = Bff.engine(route)) {
      BffResponse response = call(engine, Bff.request("bad", Map.of("id", "p1")));
      assertEquals(500, response.status());
      assertEquals(json("{\"error\":\"transform failed\",\"route\":\"bad\"}"), json(response));
    }
  }
}
