package io.overseer.examples.demo;

import java.time.Duration;

/**
 * Counts the requests being answered, so that a stop can wait for them instead of cutting them off:
 * the JDK 17 server's own {@code stop(delay)} waits the whole delay even when nothing is in flight.
 */
final class InFlight {
  private int count;
  private boolean accepting = true;

  /**
   * Counts a request, which must then be {@link #end() ended}; false once stopping (answer 503).
   */
  synchronized boolean begin() {
    count++;
    return accepting;
  }

  synchronized void end() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized void stopAccepting() {
    accepting = false;
  }

  synchronized int count() {
    return count;
  }

  /** Waits until no request is in flight, for at most {@code grace}; true if none is left. */
  synchronized boolean awaitIdle(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (count > 0) {
      long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      if (System.nanoTime() >= deadline) {
        return false;
      }
      wait(leftMillis);
    }
    return true;
  }
}
