package io.overseer.master.http;

import com.typesafe.config.Config;
import java.util.Optional;

/**
 * The admin API's own settings ({@code overseer.admin}), beside those in {@link EdgeSettings}.
 *
 * @param maxBodyBytes a larger request body is refused with 413 before it is parsed
 * @param faultInjection whether the test-only {@code /_admin/debug/fail/...} endpoints exist
 * @param listener where the admin API is served apart from the edge; empty: on the edge, under
 *     {@code /_admin}
 */
public record AdminSettings(
    long maxBodyBytes, boolean faultInjection, Optional<Listener> listener) {

  /** The admin API's own HTTP listener ({@code overseer.admin.listener}). */
  public record Listener(String host, int port) {}

  /**
   * @param overseer the {@code overseer} section
   */
  public static AdminSettings create(Config overseer) {
    Config listener = overseer.getConfig("admin.listener");
    return new AdminSettings(
        overseer.getBytes("admin.max-body-size"),
        overseer.getBoolean("admin.fault-injection"),
        listener.getBoolean("enabled")
            ? Optional.of(new Listener(listener.getString("host"), listener.getInt("port")))
            : Optional.empty());
  }
}
