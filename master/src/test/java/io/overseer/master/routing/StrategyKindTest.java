package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyKindTest {
  @Test
  void parsesEveryConfigSpelling() {
    assertEquals(StrategyKind.ROUND_ROBIN, StrategyKind.parse("round-robin"));
    assertEquals(StrategyKind.WEIGHTED_ROUND_ROBIN, StrategyKind.parse("weighted-round-robin"));
    assertEquals(StrategyKind.LEAST_OUTSTANDING, StrategyKind.parse("least-outstanding"));
    assertEquals(StrategyKind.POWER_OF_TWO_CHOICES, StrategyKind.parse("power-of-two-choices"));
    assertEquals(StrategyKind.LEAST_OUTSTANDING, StrategyKind.parse(" Least-Outstanding "));
  }

  @Test
  void refusesAnUnknownValueNamingTheAllowedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StrategyKind.parse("random"));
    assertTrue(e.getMessage().contains("'random'"), e.getMessage());
    for (StrategyKind kind : StrategyKind.values()) {
      assertTrue(e.getMessage().contains(kind.configValue()), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> StrategyKind.parse(null));
    assertThrows(IllegalArgumentException.class, () -> StrategyKind.parse("ROUND_ROBIN"));
  }

  @Test
  void createsTheMatchingStrategyAFreshOneEachTime() {
    assertInstanceOf(RoundRobin.class, StrategyKind.ROUND_ROBIN.create());
    assertInstanceOf(SmoothWeightedRoundRobin.class, StrategyKind.WEIGHTED_ROUND_ROBIN.create());
    assertInstanceOf(LeastOutstanding.class, StrategyKind.LEAST_OUTSTANDING.create());
    assertInstanceOf(PowerOfTwoChoices.class, StrategyKind.POWER_OF_TWO_CHOICES.create());
    assertNotSame(
        StrategyKind.WEIGHTED_ROUND_ROBIN.create(), StrategyKind.WEIGHTED_ROUND_ROBIN.create());
  }

  @Test
  void everyStrategyRefusesAnEmptyListAndPicksTheOnlyCandidate() {
    List<FakeCandidate> one = List.of(FakeCandidate.weighted("a", 1));
    for (StrategyKind kind : StrategyKind.values()) {
      RoutingStrategy strategy = kind.create();
      assertThrows(
          IllegalArgumentException.class, () -> strategy.pick(List.of()), kind.configValue());
      assertEquals(0, strategy.pick(one), kind.configValue());
    }
  }
}
