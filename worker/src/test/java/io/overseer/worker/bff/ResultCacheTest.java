package io.overseer.worker.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The cache on a fake clock: ages per reader, expiry at the longest TTL, a hard bound on entries.
 */
class ResultCacheTest {
  private final AtomicLong now = new AtomicLong(1_000);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void eachReaderTakesOnlyResultsYoungerThanItsOwnTtl() {
    ResultCache cache = new ResultCache(100, Duration.ofSeconds(10), now::get);
    cache.put("GET /a", TextNode.valueOf("a"));
    advance(Duration.ofSeconds(2));
    assertNull(cache.get("GET /a", Duration.ofSeconds(1)), "too old for a 1 s reader");
    assertEquals(
        "a", cache.get("GET /a", Duration.ofSeconds(5)).asText(), "young enough for a 5 s reader");
  }

  @Test
  void entriesOlderThanTheLongestTtlAreDropped() {
    ResultCache cache = new ResultCache(100, Duration.ofSeconds(10), now::get);
    cache.put("GET /a", TextNode.valueOf("a"));
    advance(Duration.ofSeconds(10));
    assertNull(cache.get("GET /a", Duration.ofHours(1)));
    assertEquals(0, cache.size());
  }

  @Test
  void neverHoldsMoreThanItsBound() {
    ResultCache cache = new ResultCache(50, Duration.ofHours(1), now::get);
    for (int i = 0; i < 1_000; i++) {
      cache.put("GET /" + i, TextNode.valueOf("v" + i));
    }
    assertEquals(50, cache.size());
    cache.put("GET /new", TextNode.valueOf("new"));
    assertNotNull(cache.get("GET /new", Duration.ofHours(1)), "the newest result is kept");
  }
}
