package io.overseer.master.logs;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code overseer.logs.remote}: how much of an agent's logs the master fetches over the cluster for
 * {@code overseer logs}, so that one answer stays small whatever the processes printed.
 *
 * @param maxLines the most lines one host reads back per request (from the end of its logs)
 * @param maxBytes the most bytes of text one host sends per answer: the oldest lines beyond it are
 *     left out (and counted), so an answer stays far below Artery's maximum-frame-size
 * @param timeout how long the master waits for each agent's answer; one that is late is named
 */
public record RemoteLogSettings(int maxLines, int maxBytes, Duration timeout) {
  /** Artery's maximum-frame-size (overseer-cluster-defaults.conf) less room for the envelope. */
  private static final long MAX_ANSWER_BYTES = 3L * 1024 * 1024;

  public RemoteLogSettings {
    if (maxLines < 1) {
      throw new IllegalArgumentException("overseer.logs.remote.max-lines must be >= 1");
    }
    if (maxBytes < 1 || maxBytes > MAX_ANSWER_BYTES) {
      throw new IllegalArgumentException(
          "overseer.logs.remote.max-bytes must be from 1 to 3MiB (under Artery's frame size)");
    }
  }

  public static RemoteLogSettings create(Config overseer) {
    Config r = overseer.getConfig("logs.remote");
    long bytes = r.getBytes("max-bytes");
    return new RemoteLogSettings(
        r.getInt("max-lines"),
        bytes > MAX_ANSWER_BYTES ? -1 : (int) bytes,
        r.getDuration("timeout"));
  }

  public static RemoteLogSettings create(ActorSystem<?> system) {
    return create(system.settings().config().getConfig("overseer"));
  }
}
