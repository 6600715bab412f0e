package io.overseer.master.http;

import com.typesafe.config.Config;

/**
 * The admin API's own settings ({@code overseer.admin}), beside those in {@link EdgeSettings}.
 *
 * @param maxBodyBytes a larger request body is refused with 413 before it is parsed
 * @param faultInjection whether the test-only {@code /_admin/debug/fail/...} endpoints exist
 */
public record AdminSettings(long maxBodyBytes, boolean faultInjection) {
  /**
   * @param overseer the {@code overseer} section
   */
  public static AdminSettings create(Config overseer) {
    return new AdminSettings(
        overseer.getBytes("admin.max-body-size"), overseer.getBoolean("admin.fault-injection"));
  }
}
