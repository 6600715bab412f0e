package io.overseer.protocol.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a topic name and a message must be, checked where they are sent (user code, the admin API)
 * so that a refusal reaches the sender; and the names of the topics that carry {@code send} and
 * {@code broadcast}, which no user topic can take (they contain ':').
 */
public final class MessageRules {
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MessagingSettings settings;

  public MessageRules(MessagingSettings settings) {
    this.settings = settings;
  }

  public MessagingSettings settings() {
    return settings;
  }

  /** Why this topic name cannot be used, or empty if it can. */
  public Optional<String> topicProblem(String topic) {
    if (topic == null || topic.isEmpty()) {
      return Optional.of("the topic name is empty");
    }
    if (topic.length() > settings.maxTopicNameLength()) {
      return Optional.of(
          "the topic name is longer than "
              + settings.maxTopicNameLength()
              + " characters (overseer.messaging.max-topic-name-length)");
    }
    if (!TOPIC.matcher(topic).matches()) {
      return Optional.of(
          "a topic name is letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
    return Optional.empty();
  }

  /**
   * The message as compact JSON text, checked against {@code max-message-size}.
   *
   * @throws IllegalArgumentException naming the problem (null, too large)
   */
  public String encode(JsonNode message) {
    if (message == null) {
      throw new IllegalArgumentException("the message is null; send a JSON value (null: NullNode)");
    }
    String text;
    try {
      text = JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the message cannot be written as JSON: " + e);
    }
    sizeProblem(text)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return text;
  }

  /** Why this JSON text is too large to send, or empty if it is not. */
  public Optional<String> sizeProblem(String json) {
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    return bytes <= settings.maxMessageBytes()
        ? Optional.empty()
        : Optional.of(
            "the message is "
                + bytes
                + " bytes of JSON, more than "
                + settings.maxMessageBytes()
                + " (overseer.messaging.max-message-size)");
  }

  /** The internal topic {@code send(processId, ...)} publishes to; that process subscribes it. */
  public static String processTopic(String processId) {
    return "process:" + processId;
  }

  /** The internal topic {@code broadcast} publishes to; every process of the app subscribes it. */
  public static String appTopic(String app) {
    return "app:" + app;
  }
}
