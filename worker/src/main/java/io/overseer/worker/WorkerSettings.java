package io.overseer.worker;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code overseer.worker} section of the configuration, read once. */
public record WorkerSettings(String computeDispatcher, long inlineComputeMaxN, Duration readyRetryInterval,
    Chaos chaos) {

  /**
   * Fault injection for testing supervision (all off by default).
   *
   * @param retainBytesPerRequest heap each compute request keeps forever: a memory leak on demand
   * @param throwAfter an uncaught exception on a thread of its own this long after start; zero: never
   * @param slowInstances instances (OVERSEER_INSTANCE) that take {@code slowDelay} longer per request
   */
  public record Chaos(long retainBytesPerRequest, Duration throwAfter, java.util.List<Integer> slowInstances,
      Duration slowDelay) {}

  public static WorkerSettings create(Config config) {
    Config c = config.getConfig("overseer.worker");
    return new WorkerSettings(
        "overseer.worker.compute-dispatcher",
        c.getLong("inline-compute-max-n"),
        c.getDuration("ready-retry-interval"),
        new Chaos(c.getBytes("chaos.retain-per-request"), c.getDuration("chaos.throw-after"),
            c.getIntList("chaos.slow-instances"), c.getDuration("chaos.slow-delay")));
  }
}
