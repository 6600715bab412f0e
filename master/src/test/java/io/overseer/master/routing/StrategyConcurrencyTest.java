package io.overseer.master.routing;

import static io.overseer.master.routing.FakeCandidate.loaded;
import static io.overseer.master.routing.FakeCandidate.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads picking from one strategy at once, as the HTTP threads do. */
class StrategyConcurrencyTest {
  private static final int THREADS = 8;

  /** Per thread; with weights 3 and 1 the total is a whole number of 4-pick cycles. */
  private static final int PICKS_PER_THREAD = 25_000;

  private static final long DEADLINE_SECONDS = 60;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void weightedRoundRobinStaysExactWhenThreadsPickAtOnce() throws Exception {
    List<FakeCandidate> candidates = List.of(weighted("a", 3), weighted("b", 1));
    int[] counts = pickConcurrently(new SmoothWeightedRoundRobin(), candidates);
    int total = THREADS * PICKS_PER_THREAD;
    assertArrayEquals(new int[] {total / 4 * 3, total / 4}, counts);
  }

  @Test
  void everyStrategyStaysInRangeWhenThreadsPickAtOnce() throws Exception {
    List<FakeCandidate> candidates =
        List.of(new FakeCandidate("a", 2, 1), loaded("b", 0), loaded("c", 3), loaded("d", 0));
    for (StrategyKind kind : StrategyKind.values()) {
      int[] counts = pickConcurrently(kind.create(), candidates);
      assertEquals(THREADS * PICKS_PER_THREAD, sum(counts), kind.configValue());
      assertTrue(
          counts[1] > 0 && counts[3] > 0, kind.configValue() + " reaches the idle candidates");
    }
  }

  /**
   * Runs every thread's picks from one start signal; returns the picks per position, all threads
   * added.
   */
  private int[] pickConcurrently(RoutingStrategy strategy, List<FakeCandidate> candidates)
      throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<int[]>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                int[] counts = new int[candidates.size()];
                for (int i = 0; i < PICKS_PER_THREAD; i++) {
                  counts[strategy.pick(candidates)]++;
                }
                return counts;
              }));
    }
    start.countDown();
    int[] total = new int[candidates.size()];
    for (Future<int[]> result : results) {
      int[] counts = result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
      for (int i = 0; i < total.length; i++) {
        total[i] += counts[i];
      }
    }
    return total;
  }

  private static int sum(int[] counts) {
    int sum = 0;
    for (int count : counts) {
      sum += count;
    }
    return sum;
  }
}
