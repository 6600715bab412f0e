package io.overseer.master.supervision;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code overseer.supervision}.
 *
 * @param appRestarts how often an app's supervisor actor may be restarted after failures
 * @param maxLocalProcesses the most processes (instances and spares of every app) on this host
 */
public record SupervisionSettings(
    SupervisionSettings.RestartLimit appRestarts, int maxLocalProcesses) {

  /** How often an app's supervisor actor may be restarted after failures, within what window. */
  public record RestartLimit(int maxRestarts, Duration window) {}

  /**
   * @param overseer the {@code overseer} section
   */
  public static SupervisionSettings create(Config overseer) {
    Config s = overseer.getConfig("supervision");
    Duration window = s.getDuration("window");
    return new SupervisionSettings(
        new RestartLimit(s.getInt("max-restarts"), window), s.getInt("max-local-processes"));
  }
}
