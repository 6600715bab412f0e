package io.overseer.worker;

import com.typesafe.config.Config;
import io.overseer.worker.warmup.WarmUpSettings;
import java.time.Duration;

/**
 * The {@code overseer.worker} section of the configuration, read once (its faults: {@code
 * FaultInjection}).
 */
public record WorkerSettings(
    String computeDispatcher,
    long inlineComputeMaxN,
    Duration readyRetryInterval,
    Duration reannounceAfter,
    WarmUpSettings warmUp) {

  public static WorkerSettings create(Config config) {
    Config c = config.getConfig("overseer.worker");
    return new WorkerSettings(
        "overseer.worker.compute-dispatcher",
        c.getLong("inline-compute-max-n"),
        c.getDuration("ready-retry-interval"),
        c.getDuration("reannounce-after"),
        WarmUpSettings.create(config));
  }
}
