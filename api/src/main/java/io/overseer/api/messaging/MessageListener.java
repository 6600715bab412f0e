package io.overseer.api.messaging;

/**
 * Receives messages; see {@link TopicListener} and {@link ProcessListener} for the ones the worker
 * finds at start, and {@link Messages#subscribe} for the others.
 *
 * <p>A listener runs on the worker's listener threads ({@code
 * overseer.messaging.listener-threads}), never on an actor's or a request's: it may block briefly,
 * and gets its messages one at a time, in order per sender. One that falls {@code
 * overseer.messaging.listener-queue-size} messages behind loses the next ones (counted and logged),
 * not the other listeners'. An exception it throws is logged; the next message still comes.
 *
 * <pre>{@code
 * Subscription prices = context.messages().subscribe("prices", message -> latest.set(message.body()));
 * }</pre>
 */
@FunctionalInterface
public interface MessageListener {

  /** One message; its body is this listener's own copy. */
  void onMessage(Message message);

  /**
   * Called once, before the first message, with the sender this listener may use to answer (a
   * listener found through {@code ServiceLoader} has no other way to reach it). Not called for a
   * listener given to {@link Messages#subscribe}, whose caller has the sender already.
   */
  default void start(Messages messages) {}
}
