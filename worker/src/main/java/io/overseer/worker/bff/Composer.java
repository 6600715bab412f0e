package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the gathered upstream results into the route's document: the JSLT transform when the route
 * has one, else the upstream results by name; then the {@code partial} list when an optional
 * upstream failed, so that a client can tell a missing part from an empty one.
 */
final class Composer {
  private Composer() {}

  static JsonNode compose(RouteDefinition route, ObjectNode input) {
    JsonNode partial = input.get("partial");
    JsonNode out;
    if (route.transform() != null) {
      out = route.transform().apply(input);
    } else {
      ObjectNode byName = JsonNodeFactory.instance.objectNode();
      route.upstreams().forEach(up -> byName.set(up.name(), input.get(up.name())));
      out = byName;
    }
    if (out == null || out.isMissingNode()) {
      out = NullNode.instance;
    }
    if (partial.isEmpty() || !out.isObject() || out.has("partial")) {
      return out;
    }
    // A transform may hand back an upstream's own (cached, shared) object: copy before adding to
    // it.
    ObjectNode marked = ((ObjectNode) out).deepCopy();
    marked.set("partial", partial);
    return marked;
  }
}
