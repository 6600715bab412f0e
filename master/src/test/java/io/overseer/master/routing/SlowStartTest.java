package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ramp and the per-pick admission of {@link SlowStart}, with set random draws. */
class SlowStartTest {
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final long SECOND = 1_000_000_000L;

  private static Slot slot(String id, long onlineNanos) {
    return new Slot(new RoutableWorker(id, 1, null), 1, 0, onlineNanos);
  }

  @Test
  void theRampGrowsLinearlyFromTheMinimumToOneOverTheWindow() {
    SlowStart slowStart = new SlowStart(WINDOW, 0.1, () -> 0.5);
    assertEquals(0.1, slowStart.ramp(0));
    assertEquals(0.1, slowStart.ramp(SECOND / 2), "never below the minimum");
    assertEquals(0.5, slowStart.ramp(5 * SECOND), 1e-9);
    assertEquals(0.9, slowStart.ramp(9 * SECOND), 1e-9);
    assertEquals(1.0, slowStart.ramp(10 * SECOND));
    assertEquals(1.0, slowStart.ramp(100 * SECOND));
  }

  @Test
  void aNewWorkerBesideASettledOneStaysInAPickWithTheProbabilityOfItsRamp() {
    long now = 100 * SECOND;
    Slot settled = slot("old", 0);
    Slot fresh = slot("new", now - 3 * SECOND); // ramp 0.3
    List<Slot> both = List.of(settled, fresh);
    assertEquals(List.of(settled, fresh), new SlowStart(WINDOW, 0.1, () -> 0.29).admit(both, now));
    assertEquals(List.of(settled), new SlowStart(WINDOW, 0.1, () -> 0.31).admit(both, now));
  }

  @Test
  void withoutASettledCandidateNothingIsHeldBackSoALoneNewWorkerIsNeverStarved() {
    long now = 100 * SECOND;
    SlowStart neverLucky = new SlowStart(WINDOW, 0.1, () -> 0.999);
    Slot fresh = slot("new", now);
    assertEquals(List.of(fresh), neverLucky.admit(List.of(fresh), now));
    // Two new ones, online at different times (a start): nobody to take the load, both stay.
    List<Slot> starting =
        List.of(slot("colder", now - 2 * SECOND), slot("warmer", now - 6 * SECOND));
    assertSame(starting, neverLucky.admit(starting, now));
  }

  @Test
  void settledCandidatesAlwaysStayAndEachRampingOneByItsOwnRamp() {
    long now = 100 * SECOND;
    Slot settled = slot("old", 0);
    Slot colder = slot("colder", now - 2 * SECOND); // ramp 0.2
    Slot warmer = slot("warmer", now - 6 * SECOND); // ramp 0.6
    List<Slot> pool = List.of(colder, settled, warmer);
    assertEquals(List.of(settled), new SlowStart(WINDOW, 0.1, () -> 0.999).admit(pool, now));
    assertEquals(List.of(settled, warmer), new SlowStart(WINDOW, 0.1, () -> 0.5).admit(pool, now));
    assertEquals(pool, new SlowStart(WINDOW, 0.1, () -> 0.1).admit(pool, now));
  }

  @Test
  void workersOnlineTogetherAndSettledPoolsKeepTheListItself() {
    long now = 100 * SECOND;
    SlowStart neverLucky = new SlowStart(WINDOW, 0.1, () -> 0.999);
    List<Slot> together = List.of(slot("a", now), slot("b", now));
    assertEquals(together, neverLucky.admit(together, now));
    List<Slot> settled = List.of(slot("a", 0), slot("b", SECOND));
    assertSame(settled, neverLucky.admit(settled, now));
  }

  @Test
  void aZeroWindowIsOff() {
    long now = 100 * SECOND;
    List<Slot> pool = List.of(slot("old", 0), slot("new", now));
    assertSame(pool, new SlowStart(Duration.ZERO, 0.1, () -> 0.999).admit(pool, now));
  }

  @Test
  void badSettingsAreRefusedNamingTheKeys() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SlowStart(WINDOW, 0, () -> 0.5));
    assertTrue(e.getMessage().contains("slow-start"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SlowStart(WINDOW, 1.5, () -> 0.5));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SlowStart(Duration.ofSeconds(-1), 0.1, () -> 0.5));
  }
}
