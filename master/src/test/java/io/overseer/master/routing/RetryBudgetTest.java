package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void theLimitIsAShareOfActiveRequestsWithAFloor() {
    RetryBudget budget = new RetryBudget(0.2, 3);
    assertEquals(3, budget.limit(0));
    assertEquals(3, budget.limit(10));
    assertEquals(4, budget.limit(20));
    assertEquals(20, budget.limit(100));
    assertEquals(20, budget.limit(104)); // 20.8 rounds down
  }

  @Test
  void retriesBeyondTheBudgetAreRefusedUntilOthersEnd() {
    RetryBudget budget = new RetryBudget(0.1, 2);
    assertTrue(budget.tryAcquire(10));
    assertTrue(budget.tryAcquire(10));
    assertFalse(budget.tryAcquire(10), "floor of 2 reached with 10 active requests");
    assertTrue(budget.tryAcquire(30), "30 active requests allow 3");
    assertFalse(budget.tryAcquire(30));
    budget.release();
    assertEquals(2, budget.inFlight());
    assertFalse(budget.tryAcquire(10), "still at the floor of 2");
    assertTrue(budget.tryAcquire(30));
  }
}
