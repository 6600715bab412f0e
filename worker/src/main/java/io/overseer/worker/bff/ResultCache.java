package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Recent GET results by call identity. Each reader says how old a result it accepts (its upstream's
 * {@code cache-ttl}), so routes with different TTLs share entries safely. Caffeine keeps it bounded
 * ({@code max-cache-entries}, evicting by frequency and recency in O(1)) and drops an entry once it
 * is older than the longest TTL in use, when no reader could take it any more.
 */
final class ResultCache {
  private record Entry(JsonNode value, long storedAt) {}

  private final Cache<String, Entry> entries;
  private final LongSupplier nanoTime;

  /**
   * @param nanoTime the clock of entry ages and expiry ({@code System::nanoTime}; a fake one in
   *     tests)
   */
  ResultCache(int maxEntries, Duration longestTtl, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(longestTtl)
            .ticker(nanoTime::getAsLong)
            // Maintenance on the caller's thread: no hop to the common pool for a few map
            // operations.
            .executor(Runnable::run)
            .build();
  }

  /** The cached result if it is younger than {@code ttl}, else {@code null}. */
  JsonNode get(String key, Duration ttl) {
    Entry entry = entries.getIfPresent(key);
    if (entry == null || nanoTime.getAsLong() - entry.storedAt() >= ttl.toNanos()) {
      return null;
    }
    return entry.value();
  }

  void put(String key, JsonNode value) {
    entries.put(key, new Entry(value, nanoTime.getAsLong()));
  }

  /** Entries kept now (pending evictions done first). */
  int size() {
    entries.cleanUp();
    return Math.toIntExact(entries.estimatedSize());
  }
}
