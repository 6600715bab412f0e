package io.overseer.worker;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code overseer.worker} section of the configuration, read once. */
public record WorkerSettings(
    String computeDispatcher, Duration readyRetryInterval, Duration reportInterval) {

  public static WorkerSettings create(Config config) {
    Config c = config.getConfig("overseer.worker");
    return new WorkerSettings(
        "overseer.worker.compute-dispatcher",
        c.getDuration("ready-retry-interval"),
        c.getDuration("report-interval"));
  }
}
