package io.overseer.worker.warmup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs exercises of the request path on a thread of its own (never an actor's: the worker's actor
 * keeps answering the cluster and the master meanwhile), for a number of iterations or until its
 * time is up, whichever comes first. The outcome always arrives by the deadline, even if an
 * exercise hangs (the thread is then interrupted and abandoned), and it never fails: a warm-up is
 * an optimisation, and a failing one must not keep the worker from serving.
 */
public final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  /** One step of the request path; called once per iteration, from the warm-up's thread. */
  @FunctionalInterface
  public interface Exercise {
    void run(int iteration) throws Exception;
  }

  /**
   * What the warm-up did.
   *
   * @param iterations iterations completed
   * @param took from the start to the outcome
   * @param cutShort the time ran out before the iterations did
   * @param failure the exception that ended it early, or null
   */
  public record Outcome(int iterations, Duration took, boolean cutShort, Throwable failure) {}

  private WarmUp() {}

  /**
   * Starts the warm-up at once; the stage completes (normally) with its outcome, at most {@code
   * settings.maxTime()} later. Settings that run nothing complete it at once.
   */
  public static CompletionStage<Outcome> start(WarmUpSettings settings, List<Exercise> exercises) {
    long began = System.nanoTime();
    if (!settings.runs() || exercises.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome(0, Duration.ZERO, false, null));
    }
    long deadline = began + settings.maxTime().toNanos();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    int[] done = {0};
    Thread thread =
        new Thread(
            () -> {
              Throwable failure = null;
              try {
                for (int i = 0; i < settings.iterations(); i++) {
                  if (stop.get() || System.nanoTime() - deadline >= 0) {
                    break;
                  }
                  for (Exercise exercise : exercises) {
                    exercise.run(i);
                  }
                  done[0] = i + 1;
                }
              } catch (Exception | LinkageError | AssertionError e) {
                failure = e;
              }
              outcome.complete(
                  new Outcome(done[0], since(began), done[0] < settings.iterations(), failure));
            },
            "overseer-warm-up");
    thread.setDaemon(true); // never holds the JVM's exit
    // Low priority: on a machine busy serving, the other workers' requests come first.
    thread.setPriority(Thread.MIN_PRIORITY);
    // A hung exercise: the outcome arrives at the deadline all the same, and the thread is told
    // to stop (checked between iterations; interrupted inside one).
    outcome.completeOnTimeout(
        new Outcome(-1, settings.maxTime(), true, null),
        settings.maxTime().toNanos() + TimeUnit.MILLISECONDS.toNanos(50),
        TimeUnit.NANOSECONDS);
    outcome.whenComplete(
        (result, error) -> {
          if (stop.compareAndSet(false, true) && result != null && result.iterations() < 0) {
            thread.interrupt();
          }
          log(result);
        });
    thread.start();
    return outcome;
  }

  private static void log(Outcome result) {
    if (result == null) {
      return;
    }
    if (result.failure() != null) {
      log.warn(
          "warm-up failed after {} iterations ({} ms); serving anyway: {}",
          result.iterations(),
          result.took().toMillis(),
          result.failure().toString());
    } else if (result.iterations() < 0) {
      log.warn("warm-up still running at its max-time; serving anyway");
    } else {
      log.info(
          "warm-up: {} iterations in {} ms{}",
          result.iterations(),
          result.took().toMillis(),
          result.cutShort() ? " (max-time reached)" : "");
    }
  }

  private static Duration since(long began) {
    return Duration.ofNanos(System.nanoTime() - began);
  }
}
