package io.overseer.master.bff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Path and query values arrive as strings; their schema declares what they mean. Each value becomes
 * the JSON value its declared {@code type} (of {@code properties.<name>}, following local {@code
 * $ref}s; else {@code enum}/{@code const}) names: {@code "10"} for an integer is {@code 10},
 * exactly what {@code JSON.parse} or Jackson would make of the same text, so that a browser
 * checking typed form values reaches the same verdict. Arrays take every value of a repeated
 * parameter ({@code ?tag=a&tag=b}). A value that fits none of the declared types is itself a field
 * error.
 */
final class ParamCoercion {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** JSON's own number grammar (RFC 8259), and its integers. */
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /**
   * The typed values to validate, the values that could not be typed, and their fields: the
   * validator's own complaint about such a field (the raw string stays in) would only repeat ours.
   */
  record Coerced(ObjectNode instance, List<FieldError> errors, Set<String> failedFields) {
    boolean failed(String field) {
      for (String failedField : failedFields) {
        if (field.equals(failedField) || field.startsWith(failedField + "/")) {
          return true;
        }
      }
      return false;
    }
  }

  private ParamCoercion() {}

  static Coerced coerce(String location, JsonNode schema, Map<String, List<String>> params) {
    ObjectNode instance = JSON.objectNode();
    List<FieldError> errors = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      String name = param.getKey();
      List<String> values = param.getValue();
      if (values == null || values.isEmpty()) {
        continue;
      }
      String field = "/" + FieldError.pointerToken(name);
      JsonNode declared = declaredFor(schema, name);
      Set<String> types = typesOf(declared);
      if (types.contains("array")) {
        Set<String> itemTypes = typesOf(resolve(schema, declared.path("items")));
        ArrayNode array = instance.putArray(name);
        for (int i = 0; i < values.size(); i++) {
          JsonNode value = coerceOne(values.get(i), itemTypes);
          String problem =
              value == null ? notA(values.get(i), itemTypes) : outOfRange(values.get(i), value);
          array.add(problem == null ? value : TextNode.valueOf(values.get(i)));
          if (problem != null) {
            errors.add(new FieldError(location, field + "/" + i, problem));
            failed.add(field + "/" + i);
          }
        }
      } else if (values.size() > 1) {
        ArrayNode given = instance.putArray(name);
        values.forEach(given::add);
        errors.add(
            new FieldError(
                location, field, "given " + values.size() + " times; one value expected"));
        failed.add(field);
      } else {
        JsonNode value = coerceOne(values.get(0), types);
        String problem =
            value == null ? notA(values.get(0), types) : outOfRange(values.get(0), value);
        instance.set(name, problem == null ? value : TextNode.valueOf(values.get(0)));
        if (problem != null) {
          errors.add(new FieldError(location, field, problem));
          failed.add(field);
        }
      }
    }
    return new Coerced(instance, errors, failed);
  }

  /** The JSON value {@code text} stands for under these types; null if it fits none of them. */
  private static JsonNode coerceOne(String text, Set<String> types) {
    if (types.isEmpty()) {
      return TextNode.valueOf(text);
    }
    if ((types.contains("integer") && INTEGER.matcher(text).matches())
        || (types.contains("number") && NUMBER.matcher(text).matches())) {
      try {
        return MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON number the parser refused: " + text, e);
      }
    }
    if (types.contains("boolean") && (text.equals("true") || text.equals("false"))) {
      return BooleanNode.valueOf(text.equals("true"));
    }
    return types.contains("string") ? TextNode.valueOf(text) : null;
  }

  /**
   * Why a typed value cannot be used although it has the declared type, or null. JSON Schema's
   * integer has no bound, but no backend's id does: 99999999999999999999999 passed the schema and
   * failed upstream as a 502, so an integer beyond 64 bits (and a number beyond a double, such as
   * 1e400, which would become Infinity) is the client's error, here.
   */
  private static String outOfRange(String text, JsonNode value) {
    if (value.isIntegralNumber() && !value.canConvertToLong()) {
      return "'"
          + text
          + "' is out of the 64-bit integer range ("
          + Long.MIN_VALUE
          + " to "
          + Long.MAX_VALUE
          + ")";
    }
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      return "'" + text + "' is out of the range of a number (a 64-bit double)";
    }
    return null;
  }

  /**
   * The subschema of the named property: {@code properties}, else an {@code additionalProperties}
   * schema.
   */
  private static JsonNode declaredFor(JsonNode schema, String name) {
    JsonNode root = resolve(schema, schema);
    JsonNode property = root.path("properties").path(name);
    if (!property.isMissingNode()) {
      return resolve(schema, property);
    }
    JsonNode additional = root.path("additionalProperties");
    return additional.isObject() ? resolve(schema, additional) : MissingNode.getInstance();
  }

  /** Follows local references ({@code "#/$defs/id"}) within the schema; others are left alone. */
  private static JsonNode resolve(JsonNode root, JsonNode node) {
    Set<String> seen = new HashSet<>();
    JsonNode current = node;
    while (current.path("$ref").isTextual() && current.get("$ref").asText().startsWith("#")) {
      String ref = current.get("$ref").asText();
      if (!seen.add(ref)) {
        return MissingNode.getInstance(); // a cycle of references: nothing declared
      }
      try {
        current = root.at(ref.substring(1));
      } catch (IllegalArgumentException malformedPointer) {
        return MissingNode.getInstance();
      }
    }
    return current;
  }

  /** The declared types, or those of the {@code enum}/{@code const} values; empty: anything. */
  private static Set<String> typesOf(JsonNode schema) {
    JsonNode type = schema.path("type");
    Set<String> types = new LinkedHashSet<>();
    if (type.isTextual()) {
      types.add(type.asText());
    } else if (type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else {
      if (schema.has("const")) {
        types.add(typeOfValue(schema.get("const")));
      }
      schema.path("enum").forEach(value -> types.add(typeOfValue(value)));
    }
    return types;
  }

  private static String typeOfValue(JsonNode value) {
    return switch (value.getNodeType()) {
      case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
      case BOOLEAN -> "boolean";
      case STRING -> "string";
      case ARRAY -> "array";
      case OBJECT -> "object";
      default -> "null";
    };
  }

  private static String notA(String text, Set<String> types) {
    return "'"
        + text
        + "' is not "
        + types.stream().map(ParamCoercion::article).collect(Collectors.joining(" or "));
  }

  private static String article(String type) {
    return switch (type) {
      case "integer" -> "an integer";
      case "object" -> "an object";
      case "array" -> "an array";
      case "null" -> "null";
      default -> "a " + type;
    };
  }
}
