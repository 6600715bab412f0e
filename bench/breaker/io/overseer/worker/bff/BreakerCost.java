package io.overseer.worker.bff;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * What one upstream attempt pays for its host's circuit breaker, closed (the normal case): the
 * worker's own {@link CircuitBreaker} against Pekko's {@code CircuitBreaker} used the way UpstreamHttp
 * would use it (a failure is only what the call says is a host fault), with its call-timeout off
 * (UpstreamHttp bounds and cancels each attempt itself) and on (2 s, the default call-timeout).
 * A timed loop, not JMH: the question is the order of magnitude next to an upstream HTTP call (~0.1
 * ms on loopback), not the last nanosecond. Run by bench/breaker.sh; in package io.overseer.worker.bff
 * to reach the package-private breaker.
 */
public final class BreakerCost {
  private static final int CALLS = 5_000_000;
  private static final int ROUNDS = 5;
  private static final CompletableFuture<Object> ANSWER = CompletableFuture.completedFuture("answer");

  private BreakerCost() {}

  public static void main(String[] args) throws Exception {
    CircuitBreaker own = new CircuitBreaker("host:1", 5, Duration.ofSeconds(10), System::nanoTime);
    Supplier<CompletionStage<Object>> ownCall = () -> {
      if (!own.tryAcquire()) {
        return CompletableFuture.failedFuture(new IllegalStateException("circuit open"));
      }
      own.onSuccess();
      return ANSWER;
    };
    ActorSystem system = ActorSystem.create("breaker-cost");
    try {
      BiFunction<Optional<Object>, Optional<Throwable>, Boolean> hostFault = (answer, error) -> error.isPresent();
      var pekkoNoTimeout = org.apache.pekko.pattern.CircuitBreaker.create(system.scheduler(), 5, Duration.ZERO,
          Duration.ofSeconds(10));
      var pekkoTimeout = org.apache.pekko.pattern.CircuitBreaker.create(system.scheduler(), 5,
          Duration.ofSeconds(2), Duration.ofSeconds(10));
      Supplier<CompletionStage<Object>> pekkoCall = () -> pekkoNoTimeout.callWithCircuitBreakerCS(() -> ANSWER,
          hostFault);
      Supplier<CompletionStage<Object>> pekkoTimedCall = () -> pekkoTimeout.callWithCircuitBreakerCS(() -> ANSWER,
          hostFault);
      System.out.println("ns per call, closed breaker; the first round is warm-up. threads: 1 | 2 (contended)");
      for (int round = 0; round < ROUNDS; round++) {
        System.out.printf("round %d  own %6.1f | %6.1f   pekko %6.1f | %6.1f   pekko+call-timeout %6.1f | %6.1f%n",
            round, nanosPerCall(ownCall, 1), nanosPerCall(ownCall, 2), nanosPerCall(pekkoCall, 1),
            nanosPerCall(pekkoCall, 2), nanosPerCall(pekkoTimedCall, 1), nanosPerCall(pekkoTimedCall, 2));
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Wall time of CALLS calls on each of {@code threads} threads at once, per call of one thread. */
  private static double nanosPerCall(Supplier<CompletionStage<Object>> call, int threads) throws Exception {
    Thread[] running = new Thread[threads];
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      running[t] = new Thread(() -> {
        Object last = null;
        for (int i = 0; i < CALLS; i++) {
          last = call.get().toCompletableFuture().join();
        }
        if (last != ANSWER.join()) {
          throw new IllegalStateException("the breaker changed the answer");
        }
      });
      running[t].start();
    }
    for (Thread thread : running) {
      thread.join();
    }
    return (System.nanoTime() - started) / (double) CALLS;
  }
}
