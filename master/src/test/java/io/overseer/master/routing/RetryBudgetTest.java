package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void retriesAreAShareOfRecentRequestsPlusAFloor() {
    ManualClock clock = new ManualClock();
    RetryBudget budget = new RetryBudget(0.2, 1, Duration.ofSeconds(5), clock);
    assertEquals(5, budget.limit(), "the floor alone: 1 per second over 5 seconds");
    for (int i = 0; i < 100; i++) {
      budget.recordRequest();
    }
    assertEquals(25, budget.limit(), "20 % of 100 requests, plus the floor");
    for (int i = 0; i < 25; i++) {
      assertTrue(budget.tryAcquire(), "retry " + i);
    }
    assertFalse(budget.tryAcquire(), "the budget is spent: a retry storm is cut off");
  }

  @Test
  void oldRequestsAndRetriesLeaveTheWindow() {
    ManualClock clock = new ManualClock();
    RetryBudget budget = new RetryBudget(0.5, 0, Duration.ofSeconds(3), clock);
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    for (int i = 0; i < 5; i++) {
      assertTrue(budget.tryAcquire());
    }
    assertFalse(budget.tryAcquire());
    clock.now = clock.now.plusSeconds(2);
    assertFalse(budget.tryAcquire(), "still inside the window");
    clock.now = clock.now.plusSeconds(1);
    assertEquals(0, budget.limit(), "the requests have left the window");
    budget.recordRequest();
    budget.recordRequest();
    assertTrue(budget.tryAcquire(), "and so have the retries: 50 % of 2 is 1");
    assertFalse(budget.tryAcquire());
  }
}
