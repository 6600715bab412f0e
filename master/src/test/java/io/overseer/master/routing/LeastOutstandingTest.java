package io.overseer.master.routing;

import static io.overseer.master.routing.FakeCandidate.loaded;
import static io.overseer.master.routing.FakeCandidate.picks;
import static io.overseer.master.routing.FakeCandidate.tally;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastOutstandingTest {
  /**
   * A multiple of every tie size below, so an exact rotation gives every tied candidate as much.
   */
  private static final int PICKS = 1_200;

  private final LeastOutstanding strategy = new LeastOutstanding();

  @Test
  void picksTheCandidateWithTheFewestRequestsInFlight() {
    List<FakeCandidate> candidates = List.of(loaded("a", 4), loaded("b", 2), loaded("c", 7));
    assertEquals(List.of("b", "b", "b"), picks(strategy, candidates, 3));
  }

  @Test
  void followsTheLoadAsItChanges() {
    FakeCandidate a = loaded("a", 0);
    FakeCandidate b = loaded("b", 1);
    List<FakeCandidate> ab = List.of(a, b);
    assertEquals(List.of("a"), picks(strategy, ab, 1));
    a.setOutstanding(2);
    assertEquals(List.of("b"), picks(strategy, ab, 1));
  }

  @Test
  void rotatesEvenlyAmongTiedCandidatesWhereverTheyAreInTheList() {
    // Tied at the end of the list: a scan from the head would always stop at the first of them.
    List<FakeCandidate> candidates =
        List.of(loaded("a", 3), loaded("b", 5), loaded("c", 1), loaded("d", 1), loaded("e", 1));
    int[] each = new int[] {0, 0, PICKS / 3, PICKS / 3, PICKS / 3};
    assertArrayEquals(each, tally(strategy, candidates, PICKS));
  }

  @Test
  void allIdleCandidatesShareThePicksEvenly() {
    List<FakeCandidate> idle =
        List.of(loaded("a", 0), loaded("b", 0), loaded("c", 0), loaded("d", 0));
    int share = PICKS / idle.size();
    assertArrayEquals(new int[] {share, share, share, share}, tally(strategy, idle, PICKS));
  }

  @Test
  void refusesAnEmptyList() {
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(List.of()));
  }
}
