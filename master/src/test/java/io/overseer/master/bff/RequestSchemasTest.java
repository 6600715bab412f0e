package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestSchemasTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final JsonNode ORDER =
      json(
          "{'type':'object','required':['name','items'],"
              + "'properties':{'name':{'type':'string','minLength':1},'priority':{'type':'integer','maximum':5},"
              + "'items':{'type':'array','items':{'type':'object','properties':{'qty':{'type':'integer','minimum':1}}}}}}");
  private static final JsonNode LISTING =
      json(
          "{'type':'object','additionalProperties':false,'required':['q'],"
              + "'properties':{'q':{'type':'string'},'limit':{'type':'integer','minimum':1,'maximum':100},"
              + "'price':{'type':'number'},'fresh':{'type':'boolean'},'tag':{'type':'array','items':{'type':'integer'}},"
              + "'sort':{'enum':[1,2,3]},'page':{'$ref':'#/$defs/page'}},'$defs':{'page':{'type':'integer'}}}");
  private static final JsonNode BY_ID =
      json(
          "{'type':'object','required':['id'],"
              + "'properties':{'id':{'type':'integer','minimum':1}}}");

  private static final RequestSchemas ROUTE =
      RequestSchemas.of(
          "orders.create", Optional.of(BY_ID), Optional.of(LISTING), Optional.of(ORDER));
  private static final RequestSchemas QUERY_ONLY =
      RequestSchemas.of("search", Optional.empty(), Optional.of(LISTING), Optional.empty());

  private static Set<String> fields(List<FieldError> errors) {
    return errors.stream().map(e -> e.location() + e.field()).collect(Collectors.toSet());
  }

  private static List<FieldError> query(Map<String, List<String>> params) {
    return QUERY_ONLY.validate(Map.of(), params, Optional.empty());
  }

  @Test
  void threeBadBodyFieldsAreThreeErrors() {
    List<FieldError> errors =
        ROUTE.validate(
            Map.of("id", "1"),
            Map.of("q", List.of("x")),
            Optional.of(
                "{\"name\":\"\",\"priority\":9,\"items\":[{\"qty\":1},{\"qty\":\"two\"}]}"));
    assertEquals(
        Set.of("body/name", "body/priority", "body/items/1/qty"),
        fields(errors),
        errors.toString());
    assertEquals(3, errors.size(), errors.toString());
    errors.forEach(e -> assertFalse(e.problem().isBlank()));
  }

  @Test
  void everyPartIsReportedAtOnce() {
    List<FieldError> errors =
        ROUTE.validate(
            Map.of("id", "0"), Map.of("limit", List.of("ten")), Optional.of("{\"items\":[]}"));
    assertEquals(
        Set.of("path/id", "query/limit", "query/q", "body/name"),
        fields(errors),
        errors.toString());
  }

  @Test
  void queryValuesAreTypedBeforeValidation() {
    assertEquals(
        List.of(),
        query(
            Map.of(
                "q",
                List.of("x"),
                "limit",
                List.of("10"),
                "price",
                List.of("12.50"),
                "fresh",
                List.of("true"),
                "tag",
                List.of("1", "2"),
                "sort",
                List.of("2"),
                "page",
                List.of("3"))));
  }

  @Test
  void anUncoercibleValueIsOneErrorNamingTheField() {
    List<FieldError> errors = query(Map.of("q", List.of("x"), "limit", List.of("ten")));
    assertEquals(List.of(new FieldError("query", "/limit", "'ten' is not an integer")), errors);
  }

  @Test
  void coercedValuesMeetTheirOtherRules() {
    List<FieldError> errors = query(Map.of("q", List.of("x"), "limit", List.of("500")));
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("/limit", errors.get(0).field());
    assertTrue(errors.get(0).problem().contains("100"), errors.get(0).problem());
  }

  @Test
  void everyQueryProblemAtOnce() {
    List<FieldError> errors =
        query(
            Map.of(
                "limit",
                List.of("1.5"),
                "price",
                List.of("cheap"),
                "fresh",
                List.of("yes"),
                "tag",
                List.of("1", "x"),
                "q",
                List.of("a", "b"),
                "sort",
                List.of("9"),
                "page",
                List.of("p"),
                "extra",
                List.of("1")));
    assertEquals(
        Set.of(
            "query/limit",
            "query/price",
            "query/fresh",
            "query/tag/1",
            "query/q",
            "query/sort",
            "query/page",
            "query/extra"),
        fields(errors),
        errors.toString());
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    assertEquals(Set.of("query/q"), fields(query(Map.of())));
  }

  @Test
  void pathParametersAreTypedToo() {
    assertEquals(
        List.of(),
        ROUTE.validateParsed(
            Map.of("id", "12"),
            Map.of("q", List.of("x")),
            Optional.of(json("{'name':'n','items':[]}"))));
    assertEquals(
        List.of(new FieldError("path", "/id", "'abc' is not an integer")),
        ROUTE.validateParsed(
            Map.of("id", "abc"),
            Map.of("q", List.of("x")),
            Optional.of(json("{'name':'n','items':[]}"))));
  }

  @Test
  void anIntegerBeyond64BitsOrANumberBeyondADoubleIsOneErrorAtTheEdge() {
    List<FieldError> huge =
        ROUTE.validateParsed(
            Map.of("id", "99999999999999999999999"),
            Map.of("q", List.of("x")),
            Optional.of(json("{'name':'n','items':[]}")));
    assertEquals(Set.of("path/id"), fields(huge), huge.toString());
    assertTrue(huge.get(0).problem().contains("64-bit"), huge.toString());
    assertEquals(
        List.of(),
        ROUTE.validateParsed(
            Map.of("id", String.valueOf(Long.MAX_VALUE)),
            Map.of("q", List.of("x")),
            Optional.of(json("{'name':'n','items':[]}"))),
        "the largest long still passes");
    assertEquals(
        Set.of("query/limit", "query/price", "query/tag/1"),
        fields(
            query(
                Map.of(
                    "q",
                    List.of("x"),
                    "limit",
                    List.of("-9223372036854775809"),
                    "price",
                    List.of("1e400"),
                    "tag",
                    List.of("1", "18446744073709551616")))));
  }

  @Test
  void aBodyThatIsMissingOrNotJsonIsOneError() {
    assertEquals(
        Set.of("body"),
        fields(ROUTE.validate(Map.of("id", "1"), Map.of("q", List.of("x")), Optional.empty())));
    List<FieldError> malformed =
        ROUTE.validate(Map.of("id", "1"), Map.of("q", List.of("x")), Optional.of("{\"name\":"));
    assertEquals(1, malformed.size());
    assertTrue(malformed.get(0).problem().startsWith("malformed JSON"), malformed.toString());
  }

  @Test
  void partsWithoutSchemaAreNotChecked() {
    assertEquals(
        List.of(),
        QUERY_ONLY.validate(
            Map.of("anything", "x"), Map.of("q", List.of("x")), Optional.of("not even json")));
  }

  @Test
  void propertyNamesAreEscapedAsPointerTokens() {
    RequestSchemas route =
        RequestSchemas.of(
            "odd",
            Optional.empty(),
            Optional.empty(),
            Optional.of(json("{'required':['a/b','c~d']}")));
    assertEquals(
        Set.of("body/a~1b", "body/c~0d"),
        fields(route.validate(Map.of(), Map.of(), Optional.of("{}"))));
  }

  @Test
  void schemaHonoursItsDialect() {
    JsonNode draft4 =
        json(
            "{'$schema':'http://json-schema.org/draft-04/schema#',"
                + "'properties':{'n':{'type':'integer','maximum':10,'exclusiveMaximum':true}}}");
    RequestSchemas route =
        RequestSchemas.of("legacy", Optional.empty(), Optional.empty(), Optional.of(draft4));
    assertEquals(
        Set.of("body/n"), fields(route.validate(Map.of(), Map.of(), Optional.of("{\"n\":10}"))));
    assertEquals(List.of(), route.validate(Map.of(), Map.of(), Optional.of("{\"n\":9}")));

    // Without $schema it is 2020-12, where a boolean exclusiveMaximum is no valid schema: refused
    // at once.
    ((ObjectNode) draft4).remove("$schema");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RequestSchemas.of(
                    "legacy", Optional.empty(), Optional.empty(), Optional.of(draft4)));
    assertTrue(
        refused.getMessage().contains("legacy") && refused.getMessage().contains("body"),
        refused.getMessage());
  }

  @Test
  void nothingIsLoadedFromTheNetwork() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RequestSchemas.of(
                "remote",
                Optional.empty(),
                Optional.empty(),
                Optional.of(json("{'$ref':'https://example.com/order.json'}"))));
  }

  @Test
  void routeNamesMustFitAUrl() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RequestSchemas.of("a/b", Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  void documentHasThePartsGivenAndOnlyThose() {
    JsonNode document = QUERY_ONLY.document();
    assertEquals("search", document.get("route").asText());
    assertEquals(LISTING, document.get("query"));
    assertFalse(document.has("path") || document.has("body"));
    assertEquals(Set.of("route", "path", "query", "body"), iterableToSet(ROUTE.document()));
  }

  @Test
  void laterChangesToTheCallersSchemaChangeNothing() {
    ObjectNode schema = (ObjectNode) json("{'properties':{'n':{'type':'integer'}}}");
    RequestSchemas route =
        RequestSchemas.of("copy", Optional.empty(), Optional.of(schema), Optional.empty());
    schema.putObject("properties").putObject("n").put("type", "string");
    assertEquals("integer", route.document().at("/query/properties/n/type").asText());
    ((ObjectNode) route.document().get("query")).removeAll();
    assertEquals("integer", route.document().at("/query/properties/n/type").asText());
  }

  private static Set<String> iterableToSet(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
