package io.overseer.protocol.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageRulesTest {
  private static final MessageRules RULES =
      new MessageRules(
          new MessagingSettings(
              16,
              10,
              5,
              Duration.ofSeconds(1),
              Duration.ofMillis(20),
              10,
              1,
              10,
              Duration.ofSeconds(1)));

  @ParameterizedTest
  @ValueSource(strings = {"cache", "a", "A.b_c-d", "0", "tenchars-9"})
  void goodTopicNames(String topic) {
    assertEquals(Optional.empty(), RULES.topicProblem(topic));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-cache", ".x", "a b", "a/b", "app:web", "process:web-1", "ü", "elevenchars"})
  void badTopicNamesAreNamedAsSuch(String topic) {
    assertTrue(RULES.topicProblem(topic).isPresent(), topic);
  }

  @Test
  void theLengthLimitIsNamedByItsKey() {
    assertTrue(RULES.topicProblem("x".repeat(11)).orElseThrow().contains("max-topic-name-length"));
  }

  @Test
  void aMessageUpToTheLimitIsCompactJsonAndOneByteMoreIsRefused() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    // {"t":"xxxxxxxx"} is 16 bytes
    assertEquals(
        "{\"t\":\"" + "x".repeat(8) + "\"}",
        RULES.encode(json.objectNode().put("t", "x".repeat(8))));
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> RULES.encode(json.objectNode().put("t", "x".repeat(9))));
    assertTrue(refused.getMessage().contains("17 bytes"), refused.getMessage());
    assertTrue(refused.getMessage().contains("overseer.messaging.max-message-size"));
    // multi-byte characters count as their UTF-8 bytes
    assertTrue(RULES.sizeProblem("\"" + "é".repeat(8) + "\"").isPresent());
    assertThrows(IllegalArgumentException.class, () -> RULES.encode(null));
  }
}
