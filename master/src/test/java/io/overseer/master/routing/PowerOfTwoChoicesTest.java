package io.overseer.master.routing;

import static io.overseer.master.routing.FakeCandidate.loaded;
import static io.overseer.master.routing.FakeCandidate.tally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The random draws make exact sequences impossible; these tests assert what holds for every draw,
 * and proportions over enough picks that the bounds sit many standard deviations away.
 */
class PowerOfTwoChoicesTest {
  private static final int PICKS = 60_000;
  private static final int BUSY = 50;

  private final PowerOfTwoChoices strategy = new PowerOfTwoChoices();

  @Test
  void neverPicksAUniqueMaximum() {
    // Of two distinct candidates at least one is below the maximum, and the lower one is taken.
    List<FakeCandidate> three = List.of(loaded("a", BUSY), loaded("b", 1), loaded("c", 2));
    assertEquals(0, tally(strategy, three, PICKS)[0]);
    List<FakeCandidate> five =
        List.of(loaded("a", 0), loaded("b", 3), loaded("c", BUSY), loaded("d", 3), loaded("e", 1));
    assertEquals(0, tally(strategy, five, PICKS)[2]);
  }

  @Test
  void busyCandidatesGetClearlyFewerPicks() {
    // Two busy ones are picked only when drawn together: 1 pair in 15, so about 1 pick in 30 each,
    // against 7 in 30 for each idle one.
    List<FakeCandidate> candidates =
        List.of(
            loaded("busy1", BUSY),
            loaded("idle1", 0),
            loaded("idle2", 0),
            loaded("busy2", BUSY),
            loaded("idle3", 0),
            loaded("idle4", 0));
    int[] counts = tally(strategy, candidates, PICKS);
    int fewestIdle = Math.min(Math.min(counts[1], counts[2]), Math.min(counts[4], counts[5]));
    int mostBusy = Math.max(counts[0], counts[3]);
    assertTrue(mostBusy > 0, "busy candidates still get the pairs drawn among themselves");
    assertTrue(mostBusy * 4 < fewestIdle, "busy " + mostBusy + " against idle " + fewestIdle);
  }

  @Test
  void spreadsPicksEvenlyWhenTheLoadIsEven() {
    List<FakeCandidate> even =
        List.of(loaded("a", 2), loaded("b", 2), loaded("c", 2), loaded("d", 2));
    int expected = PICKS / even.size();
    int tolerance = expected / 10;
    for (int count : tally(strategy, even, PICKS)) {
      assertTrue(
          Math.abs(count - expected) < tolerance, count + " picks, expected about " + expected);
    }
  }

  @Test
  void picksTheOnlyCandidate() {
    assertEquals(0, strategy.pick(List.of(loaded("a", BUSY))));
  }

  @Test
  void refusesAnEmptyList() {
    assertThrows(IllegalArgumentException.class, () -> strategy.pick(List.of()));
  }
}
