package io.overseer.master.dashboard;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code overseer.dashboard}, read once.
 *
 * @param loginCodeTtl how long a one-time login code is good for
 * @param maxLoginCodes unused codes kept at once (a newer one drops the oldest)
 * @param sessionTtl how long a browser session lasts from its login
 * @param maxSessions sessions kept at once (a newer login drops the oldest)
 * @param pushInterval one snapshot of every process this often
 * @param history how far back the charts go
 * @param maxStreams open event streams (pages) at once
 * @param streamBuffer snapshots held for a slow page before the oldest are dropped
 * @param logLines the last lines of a process's logs the page shows
 */
public record DashboardSettings(
    Duration loginCodeTtl,
    int maxLoginCodes,
    Duration sessionTtl,
    int maxSessions,
    Duration pushInterval,
    Duration history,
    int maxStreams,
    int streamBuffer,
    int logLines) {

  public DashboardSettings {
    positive(loginCodeTtl, "login-code-ttl");
    positive(sessionTtl, "session-ttl");
    positive(pushInterval, "push-interval");
    positive(history, "history");
    atLeastOne(maxLoginCodes, "max-login-codes");
    atLeastOne(maxSessions, "max-sessions");
    atLeastOne(maxStreams, "max-streams");
    atLeastOne(streamBuffer, "stream-buffer");
    atLeastOne(logLines, "log-lines");
  }

  /**
   * @param overseer the {@code overseer} section
   */
  public static DashboardSettings create(Config overseer) {
    Config d = overseer.getConfig("dashboard");
    return new DashboardSettings(
        d.getDuration("login-code-ttl"),
        d.getInt("max-login-codes"),
        d.getDuration("session-ttl"),
        d.getInt("max-sessions"),
        d.getDuration("push-interval"),
        d.getDuration("history"),
        d.getInt("max-streams"),
        d.getInt("stream-buffer"),
        d.getInt("log-lines"));
  }

  /** How many samples the history keeps: one per push, over {@link #history}. */
  public int historySamples() {
    return (int) Math.max(1, history.toMillis() / pushInterval.toMillis());
  }

  private static void positive(Duration value, String key) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("overseer.dashboard." + key + " must be positive");
    }
  }

  private static void atLeastOne(int value, String key) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "overseer.dashboard." + key + " must be at least 1, got " + value);
    }
  }
}
