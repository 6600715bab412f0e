package io.overseer.master.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's live figures: requests per second and p99 over a sliding window. */
class RecentRatesTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final RecentRates rates = new RecentRates(Duration.ofSeconds(10), now::get);

  @Test
  void rateIsRequestsOverTheWindowAndP99IsWithinABucketOfTheTruth() {
    for (int i = 0; i < 99; i++) {
      rates.record("web-0", 2_000_000); // 2 ms
    }
    rates.record("web-0", 400_000_000); // one slow request: 400 ms
    now.addAndGet(SECOND);
    for (int i = 0; i < 100; i++) {
      rates.record("web-0", 2_000_000);
    }
    RequestRates.Rate rate = rates.byProcess().get("web-0");
    assertEquals(20.0, rate.perSecond(), 1e-9, "200 requests over a 10 s window");
    assertTrue(rate.p99Millis() >= 2 && rate.p99Millis() <= 2.5, "p99 " + rate.p99Millis());
  }

  @Test
  void theSlowOnePercentShowsInTheP99() {
    for (int i = 0; i < 98; i++) {
      rates.record("web-0", 2_000_000);
    }
    rates.record("web-0", 400_000_000);
    rates.record("web-0", 400_000_000);
    double p99 = rates.byProcess().get("web-0").p99Millis();
    assertTrue(p99 >= 400 && p99 <= 500, "p99 " + p99);
  }

  @Test
  void aWorkerQuietForTheWholeWindowIsAbsent() {
    rates.record("web-0", 1_000_000);
    rates.record("web-1", 1_000_000);
    now.addAndGet(9 * SECOND);
    rates.record("web-1", 1_000_000);
    assertEquals(2, rates.byProcess().size(), "both served within the last 10 s");
    now.addAndGet(SECOND);
    assertEquals(
        java.util.Set.of("web-1"), rates.byProcess().keySet(), "web-0's second left the window");
  }

  @Test
  void bucketsGrowByAQuarter() {
    assertEquals(0, RecentRates.bucketOf(500_000));
    assertEquals(0, RecentRates.bucketOf(1_000_000));
    assertEquals(1, RecentRates.bucketOf(1_200_000));
    assertTrue(RecentRates.boundMillis(RecentRates.bucketOf(37_000_000)) >= 37);
    assertTrue(RecentRates.boundMillis(RecentRates.bucketOf(37_000_000)) < 37 * 1.25);
  }
}
