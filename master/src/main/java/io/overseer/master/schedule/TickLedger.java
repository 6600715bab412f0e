package io.overseer.master.schedule;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where the clock records the last tick it handled per schedule, and each schedule's recent runs,
 * and reads them back when it starts: the guard that keeps a restart or a handover from firing a
 * tick twice, or from starting a run while one its predecessor launched still runs. A tick is
 * recorded (with its run, {@code running}, and that run's deadline) before its job is launched, so
 * a crash between the two loses that tick rather than running it twice (at most once, like the jobs
 * a schedule launches that are not retryable).
 */
public interface TickLedger {

  /**
   * What a clock finds when it starts.
   *
   * @param lastTicks the last tick recorded per schedule; ticks at or before it never fire again
   * @param history the last runs recorded per schedule, oldest first
   */
  record Snapshot(Map<String, Instant> lastTicks, Map<String, List<PastRun>> history) {
    public Snapshot {
      lastTicks = Map.copyOf(lastTicks);
      history = Map.copyOf(history);
    }
  }

  CompletionStage<Snapshot> load();

  /**
   * Records {@code tick} as handled for {@code schedule} (an older tick than the one recorded
   * changes nothing) and, unless null, {@code history} as its last runs. Completes once launching
   * is safe; exceptionally if the tick could not be recorded (then it must not run).
   */
  CompletionStage<Done> record(String schedule, Instant tick, List<PastRun> history);

  /** The schedule's last runs changed (a run ended): recorded as they are now. */
  CompletionStage<Done> recordHistory(String schedule, List<PastRun> history);

  /** The tick alone. */
  default CompletionStage<Done> record(String schedule, Instant tick) {
    return record(schedule, tick, null);
  }

  /** Both: loaded as the latest of either, recorded in {@code first} then in {@code second}. */
  static TickLedger both(TickLedger first, TickLedger second) {
    return new TickLedger() {
      @Override
      public CompletionStage<Snapshot> load() {
        return first
            .load()
            .thenCombine(
                second.load(),
                (a, b) -> {
                  Map<String, Instant> latest = new HashMap<>(a.lastTicks());
                  b.lastTicks()
                      .forEach((name, tick) -> latest.merge(name, tick, TickLedger::later));
                  Map<String, List<PastRun>> history = new HashMap<>(a.history());
                  b.history().forEach((name, runs) -> history.merge(name, runs, PastRun::newer));
                  return new Snapshot(latest, history);
                });
      }

      @Override
      public CompletionStage<Done> record(String schedule, Instant tick, List<PastRun> history) {
        return first
            .record(schedule, tick, history)
            .thenCompose(done -> second.record(schedule, tick, history));
      }

      @Override
      public CompletionStage<Done> recordHistory(String schedule, List<PastRun> history) {
        return first
            .recordHistory(schedule, history)
            .thenCompose(done -> second.recordHistory(schedule, history));
      }
    };
  }

  /** Kept in this JVM only: for tests (a clock restarted on the same ledger finds it). */
  static TickLedger inMemory() {
    Map<String, Instant> ticks = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, List<PastRun>> runs = new java.util.concurrent.ConcurrentHashMap<>();
    return new TickLedger() {
      @Override
      public CompletionStage<Snapshot> load() {
        return CompletableFuture.completedFuture(new Snapshot(ticks, runs));
      }

      @Override
      public CompletionStage<Done> record(String schedule, Instant tick, List<PastRun> history) {
        ticks.merge(schedule, tick, TickLedger::later);
        return history == null
            ? CompletableFuture.completedFuture(Done.getInstance())
            : recordHistory(schedule, history);
      }

      @Override
      public CompletionStage<Done> recordHistory(String schedule, List<PastRun> history) {
        runs.put(schedule, List.copyOf(history));
        return CompletableFuture.completedFuture(Done.getInstance());
      }
    };
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
