package io.overseer.master.schedule;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where the clock records the last tick it handled per schedule, and reads them back when it
 * starts: the guard that keeps a restart or a handover from firing a tick twice. A tick is recorded
 * before its job is launched, so a crash between the two loses that tick rather than running it
 * twice (at most once, like the jobs a schedule launches that are not retryable).
 */
public interface TickLedger {

  /** The last tick recorded per schedule; ticks at or before it are never fired again. */
  CompletionStage<Map<String, Instant>> load();

  /**
   * Records {@code tick} as handled for {@code schedule}; an older tick than the one recorded
   * changes nothing. Completes once launching is safe; exceptionally if the tick could not be
   * recorded (then it must not run).
   */
  CompletionStage<Done> record(String schedule, Instant tick);

  /** Both: loaded as the latest of either, recorded in {@code first} then in {@code second}. */
  static TickLedger both(TickLedger first, TickLedger second) {
    return new TickLedger() {
      @Override
      public CompletionStage<Map<String, Instant>> load() {
        return first
            .load()
            .thenCombine(
                second.load(),
                (a, b) -> {
                  Map<String, Instant> latest = new HashMap<>(a);
                  b.forEach((name, tick) -> latest.merge(name, tick, TickLedger::later));
                  return latest;
                });
      }

      @Override
      public CompletionStage<Done> record(String schedule, Instant tick) {
        return first.record(schedule, tick).thenCompose(done -> second.record(schedule, tick));
      }
    };
  }

  /** Nothing kept: for tests, and for a clock whose record is elsewhere. */
  static TickLedger inMemory() {
    Map<String, Instant> ticks = new java.util.concurrent.ConcurrentHashMap<>();
    return new TickLedger() {
      @Override
      public CompletionStage<Map<String, Instant>> load() {
        return CompletableFuture.completedFuture(Map.copyOf(ticks));
      }

      @Override
      public CompletionStage<Done> record(String schedule, Instant tick) {
        ticks.merge(schedule, tick, TickLedger::later);
        return CompletableFuture.completedFuture(Done.getInstance());
      }
    };
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
