package io.overseer.worker.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class InitialStateTest {

  @Test
  void escapesEveryCharacterThatCouldEndTheScriptAndKeepsTheValue() throws Exception {
    JsonNode data =
        Bff.JSON
            .createObjectNode()
            .put("text", "</script><!-- a & b \u2028\u2029 \\< ")
            .put("n", 1.5);
    String json = Bff.JSON.writeValueAsString(data);
    String escaped = InitialState.escape(json);
    assertEquals(
        "{\"text\":\"\\u003c/script\\u003e\\u003c!-- a \\u0026 b \\u2028\\u2029 \\\\\\u003c \",\"n\":1.5}",
        escaped);
    assertEquals(data, Bff.JSON.readTree(escaped));
  }
}
