package io.overseer.examples.app;

import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.TopicListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every worker drops its cache when anyone publishes on {@code cache}: the drop-cache route (see
 * {@link CacheDropHandler}), another worker, or an operator ({@code overseer publish cache
 * '{"reason":"prices changed"}'}). Subscribed when the worker starts, before it takes requests.
 */
public final class CacheListener implements TopicListener {
  /**
   * The cache this process keeps (here a stand-in any handler of the app may fill; yours is your
   * Caffeine cache or memoized lookups).
   */
  public static final ConcurrentMap<String, Object> CACHE = new ConcurrentHashMap<>();

  private static final Logger log = LoggerFactory.getLogger(CacheListener.class);

  @Override
  public Set<String> topics() {
    return Set.of("cache");
  }

  @Override
  public void onMessage(Message message) {
    int dropped = CACHE.size();
    CACHE.clear();
    log.info(
        "cache dropped ({} entries) on a message from {}: {}",
        dropped,
        message.sender(),
        message.body());
  }
}
