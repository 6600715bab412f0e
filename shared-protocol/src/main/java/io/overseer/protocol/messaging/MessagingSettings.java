package io.overseer.protocol.messaging;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code overseer.messaging}, read once; every key is documented in shared-protocol's
 * reference.conf.
 *
 * @param maxMessageBytes the largest message body, as compact UTF-8 JSON
 * @param maxTopicNameLength the longest topic name, in characters
 * @param maxTopics topics one node may know at once (each is an actor and a receptionist key)
 * @param listingWait how long a new topic's first messages wait for the cluster's subscribers
 * @param listingPollInterval how often a new topic is asked whether it has seen them
 * @param pendingPerTopic messages a new topic holds while it waits; more are dropped and logged
 * @param listenerThreads threads that run the listeners of one worker
 * @param listenerQueueSize messages waiting for one listener; more are dropped, counted and logged
 * @param dropLogInterval at most one log line per listener per interval about dropped messages
 */
public record MessagingSettings(
    int maxMessageBytes,
    int maxTopicNameLength,
    int maxTopics,
    Duration listingWait,
    Duration listingPollInterval,
    int pendingPerTopic,
    int listenerThreads,
    int listenerQueueSize,
    Duration dropLogInterval) {

  /** Reads {@code overseer.messaging} of the whole configuration. */
  public static MessagingSettings create(Config config) {
    Config c = config.getConfig("overseer.messaging");
    return new MessagingSettings(
        Math.toIntExact(c.getBytes("max-message-size")),
        c.getInt("max-topic-name-length"),
        c.getInt("max-topics"),
        c.getDuration("listing-wait"),
        c.getDuration("listing-poll-interval"),
        c.getInt("pending-per-topic"),
        c.getInt("listener-threads"),
        c.getInt("listener-queue-size"),
        c.getDuration("drop-log-interval"));
  }
}
