package io.overseer.worker.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private static WarmUp.Outcome await(WarmUpSettings settings, List<WarmUp.Exercise> exercises)
      throws Exception {
    return WarmUp.start(settings, exercises).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void runsEachExerciseOncePerIterationAndStopsAtTheIterations() throws Exception {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    WarmUp.Outcome outcome =
        await(
            new WarmUpSettings(true, 500, LONG),
            List.of(i -> first.incrementAndGet(), i -> second.incrementAndGet()));
    assertEquals(500, outcome.iterations());
    assertEquals(500, first.get());
    assertEquals(500, second.get());
    assertFalse(outcome.cutShort());
    assertNull(outcome.failure());
  }

  @Test
  void stopsAtMaxTimeWhenTheIterationsWouldTakeLonger() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    // Each iteration waits 20 ms: a million of them would take hours.
    WarmUp.Outcome outcome =
        await(
            new WarmUpSettings(true, 1_000_000, Duration.ofMillis(300)),
            List.of(i -> never.await(20, TimeUnit.MILLISECONDS)));
    assertTrue(outcome.cutShort());
    assertTrue(outcome.iterations() < 1_000_000, "iterations: " + outcome.iterations());
    assertNull(outcome.failure());
  }

  @Test
  void aHungExerciseIsAbandonedAtMaxTimeAndInterrupted() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    WarmUp.Outcome outcome =
        await(
            new WarmUpSettings(true, 10, Duration.ofMillis(200)),
            List.of(
                i -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                  }
                }));
    assertTrue(outcome.cutShort());
    assertEquals(-1, outcome.iterations(), "still running when its time was up");
    assertTrue(interrupted.await(30, TimeUnit.SECONDS), "the hung exercise was interrupted");
  }

  @Test
  void aFailingExerciseEndsTheWarmUpWithAnOutcomeNotAnError() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    WarmUp.Outcome outcome =
        await(
            new WarmUpSettings(true, 100, LONG),
            List.of(
                i -> {
                  if (i == 3) {
                    throw boom;
                  }
                }));
    assertSame(boom, outcome.failure());
    assertEquals(3, outcome.iterations());
  }

  @Test
  void offOrEmptySettingsCompleteAtOnceWithoutRunningAnything() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    List<WarmUp.Exercise> counting = List.of(i -> runs.incrementAndGet());
    assertEquals(0, await(WarmUpSettings.OFF, counting).iterations());
    assertEquals(0, await(new WarmUpSettings(false, 100, LONG), counting).iterations());
    assertEquals(0, await(new WarmUpSettings(true, 0, LONG), counting).iterations());
    assertEquals(0, await(new WarmUpSettings(true, 100, Duration.ZERO), counting).iterations());
    assertEquals(0, runs.get());
  }
}
