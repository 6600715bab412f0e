package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
  @Test
  void picksEachCandidateInTurn() {
    RoundRobin roundRobin = new RoundRobin();
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      picks.add(roundRobin.pick(3));
    }
    assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), picks);
  }

  @Test
  void staysInRangeWhenThePoolShrinks() {
    RoundRobin roundRobin = new RoundRobin();
    roundRobin.pick(5);
    roundRobin.pick(5);
    roundRobin.pick(5);
    assertEquals(1, roundRobin.pick(2));
    assertEquals(0, roundRobin.pick(1));
  }

  @Test
  void refusesAnEmptyPool() {
    assertThrows(IllegalArgumentException.class, () -> new RoundRobin().pick(0));
    assertThrows(IllegalArgumentException.class, () -> new RoundRobin().pick(List.of()));
  }

  @Test
  void asAStrategyRotatesOverTheListIgnoringWeightAndLoad() {
    List<FakeCandidate> candidates =
        List.of(
            new FakeCandidate("a", 5, 9),
            new FakeCandidate("b", 1, 0),
            new FakeCandidate("c", 1, 0));
    assertEquals(List.of("a", "b", "c", "a"), FakeCandidate.picks(new RoundRobin(), candidates, 4));
  }
}
