package io.overseer.master.routing;

import static io.overseer.master.routing.FakeCandidate.picks;
import static io.overseer.master.routing.FakeCandidate.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {
  private final SmoothWeightedRoundRobin strategy = new SmoothWeightedRoundRobin();

  @Test
  void interleavesWeightsFiveOneOneAsNginxDoes() {
    List<FakeCandidate> abc = List.of(weighted("a", 5), weighted("b", 1), weighted("c", 1));
    List<String> cycle = List.of("a", "a", "b", "a", "c", "a", "a");
    assertEquals(cycle, picks(strategy, abc, cycle.size()), "first cycle");
    assertEquals(cycle, picks(strategy, abc, cycle.size()), "second cycle");
  }

  @Test
  void equalWeightsArePlainRotation() {
    List<FakeCandidate> abc = List.of(weighted("a", 2), weighted("b", 2), weighted("c", 2));
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "a"), picks(strategy, abc, 7));
  }

  @Test
  void aWeightChangeCountsFromTheNextPick() {
    FakeCandidate a = weighted("a", 1);
    List<FakeCandidate> ab = List.of(a, weighted("b", 1));
    assertEquals(List.of("a", "b"), picks(strategy, ab, 2));
    a.setWeight(3);
    assertEquals(List.of("a", "a", "b", "a", "a", "a", "b", "a"), picks(strategy, ab, 8));
    a.setWeight(1);
    assertEquals(List.of("a", "b", "a", "b"), picks(strategy, ab, 4));
  }

  @Test
  void aRemovedCandidateIsForgottenAndStartsAfreshWhenItComesBack() {
    FakeCandidate a = weighted("a", 1);
    FakeCandidate b = weighted("b", 1);
    FakeCandidate c = weighted("c", 1);
    // Current weights after this pick: a -2, b 1, c 1.
    assertEquals(List.of("a"), picks(strategy, List.of(a, b, c), 1));

    List<FakeCandidate> withoutB = List.of(a, c);
    assertEquals(List.of("c", "c", "a"), picks(strategy, withoutB, 3));
    assertEquals(2, strategy.trackedKeys(), "b's state is dropped");

    // Back at the end with a zero current weight: c (ahead of it in the list) wins the first tie.
    // Had b kept its old current weight of 1, it would have been picked first.
    List<FakeCandidate> bBack = List.of(a, c, b);
    assertEquals(List.of("c", "b", "a", "c", "b", "a"), picks(strategy, bBack, 6));
    assertEquals(3, strategy.trackedKeys());
  }

  @Test
  void aCandidateKeepsItsPlaceWhenTheListIsReordered() {
    FakeCandidate a = weighted("a", 5);
    FakeCandidate b = weighted("b", 1);
    FakeCandidate c = weighted("c", 1);
    assertEquals(List.of("a", "a", "b"), picks(strategy, List.of(a, b, c), 3));
    // Same state, new order: the rest of the cycle is the same picks, 4 more of a c a a.
    assertEquals(List.of("a", "c", "a", "a"), picks(strategy, List.of(c, b, a), 4));
  }

  @Test
  void refusesAWeightBelowOneAndKeepsItsState() {
    FakeCandidate a = weighted("a", 2);
    FakeCandidate b = weighted("b", 1);
    List<FakeCandidate> ab = List.of(a, b);
    assertEquals(List.of("a"), picks(strategy, ab, 1));
    b.setWeight(0);
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(ab));
    b.setWeight(1);
    assertEquals(List.of("b", "a", "a", "b", "a"), picks(strategy, ab, 5));
  }

  @Test
  void refusesAnEmptyList() {
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(List.of()));
  }
}
