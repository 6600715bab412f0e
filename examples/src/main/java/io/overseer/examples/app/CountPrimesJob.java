package io.overseer.examples.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;
import io.overseer.api.jobs.JobException;

/**
 * A job in Java (the walkthrough's): counts the primes below {@code n} by trial division, slow on
 * purpose so that it is worth moving off the request path, and checks for cancellation as it goes
 * so that a passed deadline stops it. Declared as {@code overseer.jobs.count-primes} in
 * conf/overseer.conf; {@code {"n": 1000}} answers {@code {"n":1000,"primes":168,"millis":..}}.
 */
public final class CountPrimesJob implements Job {

  /** How many candidates are tried between two looks at the cancellation token. */
  private static final int CHECK_EVERY = 1_000;

  @Override
  public String name() {
    return "count-primes";
  }

  @Override
  public JsonNode run(JobContext context) {
    long n = context.args().path("n").asLong(0);
    if (n < 2) {
      // The schema in conf/ says so too; a configuration without it still gets a clear answer.
      throw new JobException("n must be at least 2, got " + context.args().path("n"));
    }
    long start = System.nanoTime();
    long primes = 0;
    for (long candidate = 2; candidate < n; candidate++) {
      if (candidate % CHECK_EVERY == 0) {
        context.checkCancelled();
      }
      if (isPrime(candidate)) {
        primes++;
      }
    }
    context.logger().info("{} primes below {}", primes, n);
    return JsonNodeFactory.instance
        .objectNode()
        .put("n", n)
        .put("primes", primes)
        .put("millis", (System.nanoTime() - start) / 1_000_000);
  }

  private static boolean isPrime(long candidate) {
    for (long divisor = 2; divisor * divisor <= candidate; divisor++) {
      if (candidate % divisor == 0) {
        return false;
      }
    }
    return true;
  }
}
