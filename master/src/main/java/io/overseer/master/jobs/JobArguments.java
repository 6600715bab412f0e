package io.overseer.master.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A job's arguments from text: a request body (a JSON object), or {@code k=v} pairs (a GET route's
 * query string, the CLI's {@code --arg}), where each value is the JSON value it spells ({@code 10},
 * {@code true}, {@code [1,2]}, {@code "10"}) or else the text itself ({@code hello}).
 */
public final class JobArguments {
  /** {"n":1,"n":2} is ambiguous: an error, not "the last one wins". */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JobArguments() {}

  /** Arguments a body does not name the right way. */
  public static final class Invalid extends Exception {
    public Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param body empty for none ({@code {}})
   * @throws Invalid if it is not a JSON object
   */
  public static ObjectNode fromBody(String body) throws Invalid {
    if (body.isBlank()) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new Invalid("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (json == null || !json.isObject()) {
      throw new Invalid("not a JSON object: the arguments are {\"name\": value, ...}");
    }
    return (ObjectNode) json;
  }

  /** Pairs as an object; a name given several times becomes an array of its values. */
  public static ObjectNode fromPairs(Map<String, List<String>> pairs) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    pairs.forEach(
        (name, values) -> {
          if (values.size() == 1) {
            args.set(name, value(values.get(0)));
          } else {
            ArrayNode all = args.putArray(name);
            values.forEach(v -> all.add(value(v)));
          }
        });
    return args;
  }

  /** The JSON value {@code text} spells, else {@code text} as a string. */
  public static JsonNode value(String text) {
    try {
      JsonNode json = JSON.readTree(text);
      if (json != null && !json.isMissingNode()) {
        return json;
      }
    } catch (IOException e) {
      // not JSON: the text itself
    }
    return JsonNodeFactory.instance.textNode(text);
  }
}
