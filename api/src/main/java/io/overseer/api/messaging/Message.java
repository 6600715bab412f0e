package io.overseer.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message as a listener gets it: its own copy of the JSON body (free to change) and who sent it.
 *
 * <pre>{@code
 * public void onMessage(Message message) {
 *   log.info("{} from {}: {}", message.kind(), message.sender(), message.body());
 * }
 * }</pre>
 *
 * @param kind how it was addressed
 * @param topic the topic for {@link Kind#TOPIC}, empty otherwise
 * @param sender the sending process's id ({@code web-1}); {@code master} for the admin API and CLI
 * @param senderApp the sending process's app; {@code overseer} for the admin API and CLI
 * @param senderPid the sending process's operating-system pid
 * @param body the message
 */
public record Message(
    Kind kind, String topic, String sender, String senderApp, long senderPid, JsonNode body) {

  /** How a message was addressed. */
  public enum Kind {
    /** {@link Messages#send}: to this process alone. */
    DIRECT,
    /** {@link Messages#broadcast}: to every process of the sender's app. */
    BROADCAST,
    /** {@link Messages#publish}: to a topic's subscribers. */
    TOPIC
  }
}
