package io.overseer.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Sends JSON messages to other processes of the cluster; reached from a handler with {@code
 * BffContext.messages()}, and given to listeners in {@link MessageListener#start}. Every method
 * returns at once (the message travels on the worker's actors), is safe from any thread, and keeps
 * the order of one thread's calls: the listeners of a process see one sender's messages in the
 * order it sent them. Delivery is at most once: a process that is not running, or whose
 * subscription has not reached this process yet (a second or two after it starts), does not get it,
 * and there is no reply unless a listener sends one.
 *
 * <pre>{@code
 * // in a BffHandler: every worker subscribed to "cache" drops its cached prices
 * context.messages().publish("cache", JsonNodeFactory.instance.objectNode().put("drop", "prices"));
 * }</pre>
 *
 * <p>Each method throws {@link MessageRefused}, and sends nothing, for a message above {@code
 * overseer.messaging.max-message-size} or a topic name that cannot be one.
 */
public interface Messages {

  /** This process's id, as the admin API and {@code overseer status} show it ({@code web-1}). */
  String self();

  /**
   * Sends {@code message} to the process {@code processId} (Node's {@code worker.send}); its {@link
   * ProcessListener}s get it as {@link Message.Kind#DIRECT}. A process id names one process in the
   * whole cluster; an unknown one gets nothing.
   */
  void send(String processId, JsonNode message);

  /**
   * Sends {@code message} to every running process of this process's app, this one included; their
   * {@link ProcessListener}s get it once each as {@link Message.Kind#BROADCAST}.
   */
  void broadcast(JsonNode message);

  /**
   * Publishes {@code message} on {@code topic}: every process of any app whose listener subscribes
   * it gets it once ({@link Message.Kind#TOPIC}). A topic name is 1 to {@code
   * overseer.messaging.max-topic-name-length} letters, digits, '.', '_' and '-', starting with a
   * letter or digit.
   */
  void publish(String topic, JsonNode message);

  /**
   * Subscribes {@code listener} to {@code topic}, for code that decides at run time; a listener
   * that always listens is a {@link TopicListener} instead. The subscription takes effect a moment
   * after this returns (on other nodes: once it has reached them), so what is published meanwhile
   * may pass it by. The listener runs like a TopicListener (its own messages one at a time, off the
   * request's thread).
   *
   * @return cancels the subscription
   */
  Subscription subscribe(String topic, MessageListener listener);
}
