package io.overseer.worker;

import com.typesafe.config.Config;
import io.overseer.protocol.logging.RequestLog;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a worker is serving now, of every kind the worker actor takes itself: computes off
 * its thread and inline, and BFF requests while their upstream calls are out. The count is the
 * {@code inFlight} of the worker's pong (with the job pool's runs), and so of {@code
 * /_admin/status}; it is an atomic counter because the ends come on the compute dispatcher's and
 * the BFF engine's threads. With {@code overseer.logging.access-log} each end is also one INFO
 * line, with the request's id in its MDC ({@link RequestLog}).
 */
final class ServedRequests {
  private static final Logger accessLog = LoggerFactory.getLogger("io.overseer.worker.access");

  private final AtomicInteger serving = new AtomicInteger();
  private final boolean logAccess;

  ServedRequests(boolean logAccess) {
    this.logAccess = logAccess;
  }

  /** From the whole configuration: {@code overseer.logging.access-log}. */
  static ServedRequests create(Config config) {
    return new ServedRequests(config.getBoolean("overseer.logging.access-log"));
  }

  /**
   * A request starts being served; pass what this returns to {@link #end}.
   *
   * @return the start, on the monotonic clock
   */
  long begin() {
    serving.incrementAndGet();
    return System.nanoTime();
  }

  /**
   * The request is answered (any thread).
   *
   * @param what what was served and how it ended, e.g. {@code bff route=profile status=200}; only
   *     called when the line is written
   */
  void end(long startNanos, String requestId, Supplier<String> what) {
    serving.decrementAndGet();
    if (logAccess) {
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      RequestLog.with(requestId, () -> accessLog.info("{} {} ms", what.get(), millis));
    }
  }

  /** Requests being served now. */
  int count() {
    return serving.get();
  }
}
