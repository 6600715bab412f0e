package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Recent GET results by call identity. Each reader says how old a result it accepts (its upstream's
 * {@code cache-ttl}), so routes with different TTLs share entries safely. Bounded: when full, entries older
 * than the longest TTL in use are dropped, and if that frees nothing the new result is simply not kept.
 */
final class ResultCache {
  private record Entry(JsonNode value, long storedAt) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final long longestTtlNanos;
  private final LongSupplier nanoTime;

  ResultCache(int maxEntries, Duration longestTtl, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.longestTtlNanos = longestTtl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The cached result if it is younger than {@code ttl}, else {@code null}. */
  JsonNode get(String key, Duration ttl) {
    Entry entry = entries.get(key);
    if (entry == null || nanoTime.getAsLong() - entry.storedAt() >= ttl.toNanos()) {
      return null;
    }
    return entry.value();
  }

  void put(String key, JsonNode value) {
    long now = nanoTime.getAsLong();
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(e -> now - e.storedAt() >= longestTtlNanos);
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    entries.put(key, new Entry(value, now));
  }

  int size() {
    return entries.size();
  }
}
