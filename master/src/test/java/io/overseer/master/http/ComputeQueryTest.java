package io.overseer.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComputeQueryTest {
  private static final long MAX = 10_000_000_000L;

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "42, 42",
    "1e10, 10000000000",
    "1E3, 1000",
    "2.5e1, 25",
    " 7 , 7",
    "10000000000, 10000000000"
  })
  void acceptsIntegersUpToTheLimit(String raw, long expected) {
    assertEquals(expected, ComputeQuery.parseN(Optional.of(raw), MAX));
  }

  @ParameterizedTest
  @CsvSource({
    "'', missing",
    "abc, not a number",
    "0x10, not a number",
    "-1, negative",
    "-1e999999999, negative",
    "1.5, not an integer",
    "1e-999999999, not an integer",
    "10000000001, too large",
    "1e11, too large",
    "1e999999999, too large",
    "99999999999999999999999999, too large",
    "11111111111111111111111111111111111111111, too long",
    "'1 ', not a number",
    "' 1', not a number",
    "1x, not a number",
    "1e, not a number",
    ".5, not a number",
    "1_000, not a number",
    "'١', not a number"
  })
  void refusesWithTheProblemNamed(String raw, String problem) {
    BadParameter bad =
        assertThrows(BadParameter.class, () -> ComputeQuery.parseN(Optional.of(raw), MAX));
    assertEquals("n", bad.parameter());
    assertTrue(bad.problem().startsWith(problem), bad.problem());
  }

  @org.junit.jupiter.api.Test
  void refusesANulOrAControlCharacterAfterTheNumberAndShowsIt() {
    for (String raw : new String[] {"1\u0000", "1\n", "\u00001"}) {
      BadParameter bad =
          assertThrows(BadParameter.class, () -> ComputeQuery.parseN(Optional.of(raw), MAX), raw);
      assertTrue(bad.problem().startsWith("not a number"), bad.problem());
      assertTrue(
          bad.problem().contains("\\u00"), "the control character is shown: " + bad.problem());
    }
  }

  @org.junit.jupiter.api.Test
  void refusesAMissingParameter() {
    assertEquals(
        "missing",
        assertThrows(BadParameter.class, () -> ComputeQuery.parseN(Optional.empty(), MAX))
            .problem());
  }
}
