package io.overseer.master.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The delays of a restart: at once after a stable run (it was not crash-looping), the growing
 * backoff for runs shorter than min-uptime (5 s here), and errored past max-restarts either way.
 */
class RestartTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration STABLE = Duration.ofSeconds(30);
  private static final Duration CRASHED = Duration.ofMillis(50);

  /** At most 4 restarts a minute, backoff from 100 ms doubling to at most 5 s. */
  private final RestartTracker tracker =
      new RestartTracker(SupervisionFixtures.policy(4, Duration.ofMillis(100)));

  private Duration delay(Duration uptime, int secondsAfterT0) {
    RestartPolicy.Decision decision = tracker.onExit(1, uptime, T0.plusSeconds(secondsAfterT0));
    return assertInstanceOf(RestartPolicy.Restart.class, decision).delay();
  }

  @Test
  void aStableRunIsReplacedAtOnceAndACrashLoopAfterItBacksOffFromTheSecondStep() {
    assertEquals(Duration.ZERO, delay(STABLE, 0));
    // The restart at once took the backoff's first step: the loop that follows waits as one whose
    // first restart waited 100 ms would (SupervisionIT's crash loop, whose first run a loaded
    // master may see as stable).
    assertEquals(Duration.ofMillis(200), delay(CRASHED, 1));
    assertEquals(Duration.ofMillis(400), delay(CRASHED, 2));
    assertEquals(Duration.ZERO, delay(STABLE, 3), "a stable run again: at once");
    // The fifth restart within the minute is one too many, stable or not.
    assertInstanceOf(RestartPolicy.Errored.class, tracker.onExit(1, STABLE, T0.plusSeconds(4)));
  }

  @Test
  void aProcessThatCrashesFromItsFirstRunWaitsTheGrowingBackoffFromTheStart() {
    assertEquals(Duration.ofMillis(100), delay(CRASHED, 0));
    assertEquals(Duration.ofMillis(200), delay(CRASHED, 1));
    assertEquals(Duration.ofMillis(400), delay(CRASHED, 2));
  }
}
