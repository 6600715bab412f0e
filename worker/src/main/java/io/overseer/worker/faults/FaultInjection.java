package io.overseer.worker.faults;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults a worker can be told to have ({@code overseer.worker.chaos}), so that tests and benchmarks
 * can prove supervision and routing against a leaking, crashing or slow worker. Everything is off
 * by default, and then the worker runs with {@link #NONE}, whose hooks do nothing: the production
 * path pays one predictable branch per job, not the faults' code.
 */
public final class FaultInjection {
  private static final Logger log = LoggerFactory.getLogger(FaultInjection.class);

  /** No fault at all: what every worker runs with unless a test configures one. */
  public static final FaultInjection NONE = new FaultInjection(0, Duration.ZERO, Duration.ZERO);

  private final long retainBytesPerJob;
  private final Duration throwAfter;
  private final Duration jobDelay;

  /** Heap kept on purpose (a leak on demand); only the worker actor touches it. */
  private final List<byte[]> retained = new ArrayList<>();

  private FaultInjection(long retainBytesPerJob, Duration throwAfter, Duration jobDelay) {
    this.retainBytesPerJob = retainBytesPerJob;
    this.throwAfter = throwAfter;
    this.jobDelay = jobDelay;
  }

  /**
   * @param chaos the {@code overseer.worker.chaos} section
   * @param instance this worker's OVERSEER_INSTANCE; the slow delay applies to listed instances
   *     only
   */
  public static FaultInjection create(Config chaos, String instance) {
    boolean slow =
        chaos.getIntList("slow-instances").stream()
            .anyMatch(i -> String.valueOf(i).equals(instance));
    FaultInjection faults =
        new FaultInjection(
            chaos.getBytes("retain-per-request"),
            chaos.getDuration("throw-after"),
            slow ? chaos.getDuration("slow-delay") : Duration.ZERO);
    return faults.isNone() ? NONE : faults;
  }

  private boolean isNone() {
    return retainBytesPerJob == 0 && throwAfter.isZero() && jobDelay.isZero();
  }

  /** On the worker actor as a compute job arrives: keeps the configured heap forever. */
  public void onJob() {
    if (retainBytesPerJob > 0) {
      retained.add(new byte[Math.toIntExact(retainBytesPerJob)]);
    }
  }

  /**
   * Whether jobs are delayed: then they must run on the compute dispatcher, never inline on the
   * actor.
   */
  public boolean delaysJobs() {
    return !jobDelay.isZero();
  }

  /** On the compute dispatcher, before a job runs: this worker's configured slowness. */
  public void delayJob() {
    if (!jobDelay.isZero()) {
      LockSupport.parkNanos(jobDelay.toNanos());
    }
  }

  /**
   * Starts the uncaught exception that ends this worker {@code throw-after} from now, if
   * configured.
   */
  public void startCrashTimer() {
    if (throwAfter.isZero()) {
      return;
    }
    log.warn("chaos: an uncaught exception will end this worker in {}", throwAfter);
    Thread bomb =
        new Thread(
            () -> {
              LockSupport.parkNanos(throwAfter.toNanos());
              throw new IllegalStateException("chaos: overseer.worker.chaos.throw-after");
            },
            "overseer-chaos");
    bomb.setDaemon(true);
    bomb.start();
  }
}
