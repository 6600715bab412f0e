package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyLimitsTest {
  private static final BodyLimits DEFAULTS =
      BodyLimits.create(ConfigFactory.load().getConfig(BodyLimits.SECTION));

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  private static BadBody refused(String body) {
    return assertThrows(BadBody.class, () -> DEFAULTS.parseBody(body));
  }

  @Test
  void limitsComeFromReferenceConf() {
    assertEquals(64 * 1024, DEFAULTS.maxBodySize());
    assertEquals(4 * 1024, DEFAULTS.maxQueryLength());
    assertEquals(32, DEFAULTS.maxJsonDepth());
  }

  @Test
  void nonPositiveLimitsAreRefused() {
    assertThrows(
        ConfigException.class,
        () ->
            BodyLimits.create(
                ConfigFactory.parseString(
                    "max-body-size = 0, max-query-length = 1, max-json-depth = 1")));
    assertThrows(
        ConfigException.class,
        () ->
            BodyLimits.create(
                ConfigFactory.parseString(
                    "max-body-size = 1, max-query-length = 1, max-json-depth = -1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"a\":}", "{} {}", "{\"a\":1,\"a\":2}", "nope", "[1,]", "{'a':1}"})
  void malformedJsonIsA400(String body) {
    BadBody bad = refused(body);
    assertEquals(400, bad.status());
    assertEquals("body", bad.location());
    assertTrue(bad.problem().startsWith("malformed JSON"), bad.problem());
  }

  @Test
  void anEmptyBodyIsA400() {
    assertEquals(400, refused(" ").status());
  }

  @Test
  void depthUpToTheLimitIsFine() throws BadBody {
    assertEquals(1, DEFAULTS.parseBody(nested(32)).size());
    assertEquals(400, refused(nested(33)).status());
    assertTrue(refused("{\"a\":" + nested(32) + "}").problem().contains("nested deeper than 32"));
  }

  @Test
  void aThousandNestedArraysAreRefusedWithoutRecursion() {
    BadBody bad = refused(nested(1000));
    assertEquals(400, bad.status());
    assertTrue(bad.problem().contains("max-json-depth"), bad.problem());

    // Far deeper than any stack would take, within a body limit that lets it through to the parser.
    BodyLimits roomy =
        BodyLimits.create(
            ConfigFactory.parseString(
                "max-body-size = 4MiB, max-query-length = 1, max-json-depth = 32, body-timeout = 1s"));
    assertEquals(
        400, assertThrows(BadBody.class, () -> roomy.parseBody(nested(1_000_000))).status());
  }

  @Test
  void aBodyOverTheSizeIsA413() throws BadBody {
    String atLimit = "\"" + "a".repeat(64 * 1024 - 2) + "\"";
    assertEquals(64 * 1024 - 2, DEFAULTS.parseBody(atLimit).asText().length());
    BadBody bad = refused("\"" + "a".repeat(64 * 1024 - 1) + "\"");
    assertEquals(413, bad.status());
    assertTrue(bad.problem().contains("max-body-size"), bad.problem());
  }

  @Test
  void sizeCountsUtf8Bytes() {
    // 40,000 characters, 80,000 bytes: under the limit in characters, over it in bytes.
    assertEquals(413, refused("\"" + "é".repeat(40_000) + "\"").status());
  }

  @Test
  void aQueryOverTheLengthIsA414() {
    assertDoesNotThrow(() -> DEFAULTS.checkQuery("q=" + "x".repeat(4 * 1024 - 2)));
    assertDoesNotThrow(() -> DEFAULTS.checkQuery(null));
    BadBody bad =
        assertThrows(BadBody.class, () -> DEFAULTS.checkQuery("q=" + "x".repeat(4 * 1024 - 1)));
    assertEquals(414, bad.status());
    assertEquals(new FieldError("query", "", bad.problem()), bad.fieldError());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=%zz", "a=%2", "a=%", "a=%e9%"})
  void aMalformedEscapeInTheQueryIsA400(String query) {
    assertEquals(400, assertThrows(BadBody.class, () -> DEFAULTS.checkQuery(query)).status());
  }

  @Test
  void validationUsesTheLimitsItIsGiven() {
    RequestSchemas route =
        RequestSchemas.of(
            "deep",
            Optional.empty(),
            Optional.empty(),
            Optional.of(RequestSchemasTest.json("{'type':'array'}")));
    assertEquals(List.of(), route.validate(Map.of(), Map.of(), Optional.of(nested(5))));
    BodyLimits shallow =
        BodyLimits.create(
            ConfigFactory.parseString(
                "max-body-size = 1KiB, max-query-length = 1, max-json-depth = 4, body-timeout = 1s"));
    List<FieldError> errors =
        route.withLimits(shallow).validate(Map.of(), Map.of(), Optional.of(nested(5)));
    assertEquals(1, errors.size());
    assertEquals("body", errors.get(0).location());
    assertTrue(errors.get(0).problem().contains("nested deeper than 4"), errors.toString());
  }
}
