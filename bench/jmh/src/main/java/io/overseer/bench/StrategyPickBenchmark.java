package io.overseer.bench;

import io.overseer.master.routing.Candidate;
import io.overseer.master.routing.RoutingStrategy;
import io.overseer.master.routing.StrategyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one {@link RoutingStrategy#pick} per strategy and pool size, on one thread. The
 * candidates hold varied weights and loads that stay fixed during a trial, so the figures are the
 * strategies' own cost, not the cost of tracking load.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class StrategyPickBenchmark {
  /** Fixed, so every run and every strategy sees the same pool. */
  private static final long SEED = 42;
  private static final int MAX_WEIGHT = 5;
  /** Small enough that idle and tied workers are common, as in a healthy pool. */
  private static final int MAX_OUTSTANDING = 8;

  /** No values listed: JMH runs every constant, so a new strategy is measured without edits here. */
  @Param
  public StrategyKind kind;

  @Param({"2", "16", "256"})
  public int candidates;

  private RoutingStrategy strategy;
  private List<Worker> pool;

  /** A worker as the strategies see it. */
  private record Worker(Object key, int weight, int outstanding) implements Candidate {}

  /** Builds the pool and a fresh strategy for each trial. */
  @Setup
  public void setUp() {
    Random random = new Random(SEED);
    List<Worker> workers = new ArrayList<>(candidates);
    for (int i = 0; i < candidates; i++) {
      workers.add(new Worker("worker-" + i, 1 + random.nextInt(MAX_WEIGHT), random.nextInt(MAX_OUTSTANDING + 1)));
    }
    // An immutable copy, like the snapshot the router hands to its strategy.
    pool = List.copyOf(workers);
    strategy = kind.create();
  }

  /** One pick; returning the index keeps JMH from eliminating it as dead code. */
  @Benchmark
  public int pick() {
    return strategy.pick(pool);
  }
}
