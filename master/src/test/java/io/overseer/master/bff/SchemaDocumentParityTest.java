package io.overseer.master.bff;

import static io.overseer.master.bff.RequestSchemasTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Validate once, reuse across ends": a client that fetches {@code document()} (as text, the way
 * {@code /_schema/<route>} serves it) and validates its typed values with a validator of its own
 * reaches the edge's verdict, field for field.
 */
class SchemaDocumentParityTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final RequestSchemas ROUTE =
      RequestSchemas.of(
          "cart.add",
          Optional.of(
              json(
                  "{'type':'object','required':['cart'],'properties':{'cart':{'type':'integer','minimum':1}}}")),
          Optional.of(
              json(
                  "{'type':'object','additionalProperties':false,'properties':{"
                      + "'dry':{'type':'boolean'},'ratio':{'type':'number','exclusiveMaximum':1},"
                      + "'ids':{'type':'array','maxItems':2,'items':{'type':'integer'}}}}")),
          Optional.of(
              json(
                  "{'type':'object','required':['sku','qty'],'additionalProperties':false,'properties':{"
                      + "'sku':{'type':'string','pattern':'^P-[0-9]+$'},'qty':{'type':'integer','minimum':1,'maximum':9},"
                      + "'gift':{'type':'object','required':['to'],'properties':{'to':{'type':'string','minLength':1}}}}}")));

  /**
   * The fields at fault; path and query as the edge receives them (strings), then as a browser form
   * holds them (typed JSON); the body.
   */
  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of(
            Set.of(),
            Map.of("cart", "7"),
            Map.of("dry", List.of("true")),
            "{'cart':7}",
            "{'dry':true}",
            "{'sku':'P-1','qty':2}"),
        Arguments.of(
            Set.of(
                "path/cart", "query/ratio", "body/sku", "body/qty", "body/gift/to", "body/extra"),
            Map.of("cart", "0"),
            Map.of("ratio", List.of("1.5")),
            "{'cart':0}",
            "{'ratio':1.5}",
            "{'sku':'X','qty':0,'gift':{'to':''},'extra':1}"),
        Arguments.of(
            Set.of("path/cart", "query/ids/1", "query/ids", "body/sku", "body/qty"),
            Map.of("cart", "seven"),
            Map.of("ids", List.of("1", "x", "3")),
            "{'cart':'seven'}",
            "{'ids':[1,'x',3]}",
            "{'qty':'2'}"),
        Arguments.of(
            Set.of("path/cart", "query/dry", "query/other", "body"),
            Map.of(),
            Map.of("dry", List.of("yes"), "other", List.of("1")),
            "{}",
            "{'dry':'yes','other':'1'}",
            "[]"),
        Arguments.of(
            Set.of("body/gift/to"),
            Map.of("cart", "3"),
            Map.of("ratio", List.of("0.25"), "ids", List.of("4")),
            "{'cart':3}",
            "{'ratio':0.25,'ids':[4]}",
            "{'sku':'P-22','qty':9,'gift':{}}"));
  }

  @ParameterizedTest
  @MethodSource("requests")
  void theServedDocumentGivesTheSameVerdicts(
      Set<String> expected,
      Map<String, String> path,
      Map<String, List<String>> query,
      String typedPath,
      String typedQuery,
      String body)
      throws Exception {
    String bodyJson = body.replace('\'', '"');
    Set<String> atTheEdge =
        ROUTE.validate(path, query, Optional.of(bodyJson)).stream()
            .map(e -> e.location() + e.field())
            .collect(Collectors.toSet());

    JsonNode served = MAPPER.readTree(MAPPER.writeValueAsString(ROUTE.document()));
    Set<String> elsewhere = new HashSet<>();
    elsewhere.addAll(independently("path", served.get("path"), json(typedPath)));
    elsewhere.addAll(independently("query", served.get("query"), json(typedQuery)));
    elsewhere.addAll(independently("body", served.get("body"), MAPPER.readTree(bodyJson)));

    assertEquals(expected, atTheEdge);
    assertEquals(atTheEdge, elsewhere);
  }

  /** A validator built from the served schema alone, with its own factory and defaults. */
  private static Set<String> independently(String location, JsonNode schema, JsonNode instance) {
    JsonSchema validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                schema, SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());
    Set<String> fields = new HashSet<>();
    for (ValidationMessage message : validator.validate(instance)) {
      String field = message.getInstanceLocation().toString();
      if (Set.of("required", "additionalProperties").contains(message.getType())) {
        field += "/" + message.getProperty();
      }
      fields.add(location + field);
    }
    return fields;
  }
}
