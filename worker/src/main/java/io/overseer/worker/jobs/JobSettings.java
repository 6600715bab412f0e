package io.overseer.worker.jobs;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code overseer.worker.jobs} section, read once (documented in the worker's reference.conf).
 *
 * @param maxConcurrent runs at once on this worker; one more is refused ("busy")
 * @param maxResultBytes the largest result (serialized JSON) a run may return
 * @param maxOutputBytes what a command job keeps of each of its stdout and stderr
 * @param cancelGrace how long a cancelled run may go on before the worker asks to be replaced
 */
public record JobSettings(
    int maxConcurrent, long maxResultBytes, long maxOutputBytes, Duration cancelGrace) {

  public static JobSettings create(Config config) {
    Config c = config.getConfig("overseer.worker.jobs");
    JobSettings settings =
        new JobSettings(
            c.getInt("max-concurrent"),
            c.getBytes("max-result-size"),
            c.getBytes("max-output-size"),
            c.getDuration("cancel-grace"));
    if (settings.maxConcurrent < 1) {
      throw new IllegalArgumentException(
          "overseer.worker.jobs.max-concurrent must be at least 1, got " + settings.maxConcurrent);
    }
    return settings;
  }
}
