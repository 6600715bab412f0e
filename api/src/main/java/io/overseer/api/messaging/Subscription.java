package io.overseer.api.messaging;

/**
 * A subscription made with {@link Messages#subscribe}; it lasts until cancelled or the process
 * ends.
 *
 * <pre>{@code
 * try (Subscription watch = messages.subscribe("prices", listener)) {
 *   // ... listen while this block runs
 * }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {

  /**
   * No more messages after those already on their way to the listener. Cancelling twice is fine.
   */
  void cancel();

  /** Same as {@link #cancel()}. */
  @Override
  default void close() {
    cancel();
  }
}
