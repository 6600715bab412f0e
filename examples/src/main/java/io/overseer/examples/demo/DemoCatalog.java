package io.overseer.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The demo's data, computed from the id alone so that every run, and every test, sees the same
 * documents. The shapes are awkward on purpose, as a legacy Java backend's often are: numbers and
 * booleans as strings, nulls where a value is expected, JSON:API-style nesting, references by id
 * only. Turning them into something a page can use is the BFF's job.
 */
final class DemoCatalog {
  /** Ids 1..LAST_ID exist; any other id is unknown (404). */
  static final int LAST_ID = 20;

  /** The product whose name carries markup, to show that server-side rendering escapes it. */
  static final int SCRIPT_PRODUCT = 13;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private DemoCatalog() {}

  static boolean exists(int id) {
    return id >= 1 && id <= LAST_ID;
  }

  /** {@code {"data":{"type","id","attributes":{...},"relationships":{"seller":{"id"}}},"meta"}}. */
  static Optional<JsonNode> product(int id) {
    if (!exists(id)) {
      return Optional.empty();
    }
    ObjectNode attributes = JSON.objectNode();
    attributes.put(
        "name", id == SCRIPT_PRODUCT ? "Kettle <script>alert(1)</script> Deluxe" : "Product " + id);
    attributes.put("description", id % 3 == 0 ? null : "A fine product, number " + id + ".");
    ObjectNode price = attributes.putObject("price");
    price.put("amount", BigDecimal.valueOf(1_000 + 250L * id, 2).toPlainString()); // id 1: "12.50"
    price.put("currency", "EUR");
    attributes.put("discount", id % 4 == 0 ? "0.10" : null);
    if (id % 5 == 0) {
      attributes.putNull("tags");
    } else {
      attributes.putArray("tags").add(id % 2 == 0 ? "kitchen" : "garden").add("demo");
    }
    // Epoch milliseconds, as a string: one more thing to convert.
    attributes.put("created_at", String.valueOf(1_704_067_200_000L + 86_400_000L * id));

    ObjectNode data = JSON.objectNode();
    data.put("type", "product");
    data.put("id", String.valueOf(id));
    data.set("attributes", attributes);
    data.putObject("relationships").putObject("seller").put("id", String.valueOf(sellerOf(id)));
    ObjectNode product = JSON.objectNode();
    product.set("data", data);
    product.putObject("meta").put("api_version", "1").putNull("deprecated_fields");
    return Optional.of(product);
  }

  /** The seller a product references: product 1 is sold by seller 7. */
  static int sellerOf(int productId) {
    return (productId + 5) % LAST_ID + 1;
  }

  /** {@code {"sku":"P-1","stock":{"available":"7","reserved":null},"warehouse":{"code":null}}}. */
  static Optional<JsonNode> inventory(int id) {
    if (!exists(id)) {
      return Optional.empty();
    }
    ObjectNode inventory = JSON.objectNode();
    inventory.put("sku", "P-" + id);
    ObjectNode stock = inventory.putObject("stock");
    stock.put("available", String.valueOf(id * 7 % 13)); // product 13: out of stock
    stock.put("reserved", id % 2 == 0 ? "1" : null);
    inventory.putObject("warehouse").put("code", id % 3 == 0 ? "W-" + id % 2 : null);
    return Optional.of(inventory);
  }

  /** A bare JSON list of 0..3 reviews, ratings as strings, some of them null. */
  static Optional<JsonNode> reviews(int productId) {
    if (!exists(productId)) {
      return Optional.empty();
    }
    ArrayNode reviews = JSON.arrayNode();
    for (int i = 1; i <= productId % 4; i++) {
      ObjectNode review = reviews.addObject();
      review.put("id", "r-" + productId + "-" + i);
      review.put(
          "rating", (productId + i) % 3 == 0 ? null : String.valueOf((productId + i) % 5 + 1));
      review.put("title", i == 2 ? null : "Review " + i + " of product " + productId);
      review.putObject("author").put("name", i == 3 ? null : "Reviewer " + i);
    }
    return Optional.of(reviews);
  }

  /** {@code {"id":"7","profile":{"display_name","rating","country"},"active":"true"}}. */
  static Optional<JsonNode> seller(int id) {
    if (!exists(id)) {
      return Optional.empty();
    }
    ObjectNode seller = JSON.objectNode();
    seller.put("id", String.valueOf(id));
    ObjectNode profile = seller.putObject("profile");
    profile.put("display_name", "Seller " + id);
    profile.put("rating", id % 4 == 0 ? null : BigDecimal.valueOf(30 + id % 21, 1).toPlainString());
    profile.put("country", id % 2 == 0 ? "DE" : null);
    seller.put("active", String.valueOf(id % 6 != 0));
    return Optional.of(seller);
  }
}
