package io.overseer.api.messaging;

import java.util.Set;

/**
 * A listener subscribed to its topics as soon as its worker starts, before the worker takes
 * requests: list it in {@code META-INF/services/io.overseer.api.messaging.TopicListener} in a jar
 * on the app's {@code class-path}. One instance per worker process.
 *
 * <pre>{@code
 * public final class CacheDropper implements TopicListener {
 *   public Set<String> topics() { return Set.of("cache"); }
 *
 *   public void onMessage(Message message) { Prices.CACHE.invalidateAll(); }
 * }
 * }</pre>
 */
public interface TopicListener extends MessageListener {

  /** The topics to subscribe, asked once at start (names as {@link Messages#publish} takes). */
  Set<String> topics();
}
