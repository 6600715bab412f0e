package io.overseer.protocol;

/**
 * Messages between processes (user code's {@code send}, {@code broadcast} and {@code publish}): the
 * one record that crosses JVMs, carried by Pekko's distributed pub-sub topics
 * (io.overseer.protocol.messaging.MessageHub).
 */
public interface MessagingProtocol {

  /** How a message was addressed, which decides which listeners see it. */
  enum Kind {
    /** To one process by id ({@code send}): its process listeners. */
    DIRECT,
    /** To every process of the sender's app ({@code broadcast}): their process listeners. */
    BROADCAST,
    /** To a named topic ({@code publish}): the topic's listeners, in any app. */
    TOPIC
  }

  /**
   * One message on its way to the listeners of a node.
   *
   * @param topic the user's topic for {@link Kind#TOPIC}, empty otherwise
   * @param senderApp the sender's app ({@code overseer} for the master's admin API and CLI)
   * @param senderId the sender's process id ({@code web-1}; {@code master} for the admin API)
   * @param json the body as compact JSON text, checked against {@code
   *     overseer.messaging.max-message-size} by the sender; each listener parses its own copy
   */
  record Delivery(
      Kind kind, String topic, String senderApp, String senderId, long senderPid, String json)
      implements OverseerSerializable {}
}
