package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void consecutiveFailuresEjectForAGrowingTimeThenTheWorkerReturns() {
    OutlierDetector detector = new OutlierDetector(3, Duration.ofSeconds(10), 0.5);
    assertFalse(detector.onFailure("a", 4, T0));
    assertFalse(detector.onFailure("a", 4, T0));
    assertTrue(detector.onFailure("a", 4, T0), "third failure in a row ejects");
    assertTrue(detector.isEjected("a", T0.plusSeconds(9)));
    assertFalse(detector.isEjected("a", T0.plusSeconds(10)), "back after the base ejection time");

    Instant t1 = T0.plusSeconds(20);
    detector.onFailure("a", 4, t1);
    detector.onFailure("a", 4, t1);
    assertTrue(detector.onFailure("a", 4, t1));
    assertTrue(detector.isEjected("a", t1.plusSeconds(19)), "second ejection lasts twice as long");
    assertFalse(detector.isEjected("a", t1.plusSeconds(20)));
  }

  @Test
  void aSuccessResetsTheCount() {
    OutlierDetector detector = new OutlierDetector(2, Duration.ofSeconds(10), 1.0);
    detector.onFailure("a", 2, T0);
    detector.onSuccess("a");
    assertFalse(detector.onFailure("a", 2, T0), "the count started again");
    assertTrue(detector.onFailure("a", 2, T0));
  }

  @Test
  void neverMoreThanTheMaxShareOfThePoolIsEjected() {
    OutlierDetector detector = new OutlierDetector(1, Duration.ofSeconds(10), 0.5);
    assertTrue(detector.onFailure("a", 4, T0));
    assertTrue(detector.onFailure("b", 4, T0));
    assertFalse(detector.onFailure("c", 4, T0), "half of 4 are already out");
    assertFalse(detector.isEjected("c", T0));
    assertFalse(
        new OutlierDetector(1, Duration.ofSeconds(1), 0.5).onFailure("x", 1, T0),
        "a pool of one can spare nobody");
  }
}
