package io.overseer.worker.messaging;

import io.overseer.protocol.MessagingProtocol;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Messages this worker's listeners never got because their lane was full, by kind, since the worker
 * started: sent to the master with each pong, where the metrics show them. Every kind is reported,
 * zero included, so that a rate can be taken from the first scrape on.
 */
final class DroppedMessages {
  private static final MessagingProtocol.Kind[] KINDS = MessagingProtocol.Kind.values();

  private final AtomicLongArray counts = new AtomicLongArray(KINDS.length);

  /** One message of {@code kind} that a full lane did not take. */
  void count(MessagingProtocol.Kind kind) {
    counts.incrementAndGet(kind.ordinal());
  }

  /** The totals by kind, named as the metrics label them: direct, broadcast, topic. */
  Map<String, Long> byKind() {
    Map<String, Long> totals = new TreeMap<>();
    for (MessagingProtocol.Kind kind : KINDS) {
      totals.put(kind.name().toLowerCase(Locale.ROOT), counts.get(kind.ordinal()));
    }
    return totals;
  }
}
