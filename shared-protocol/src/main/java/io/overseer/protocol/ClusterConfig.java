package io.overseer.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Builds a JVM's configuration in a fixed order, highest first: system properties, the user's
 * settings, the role's Pekko defaults, the shared cluster defaults, then every reference.conf.
 */
public final class ClusterConfig {
  /** Pekko settings both roles share, in this module's resources. */
  static final String SHARED_DEFAULTS = "overseer-cluster-defaults.conf";

  private ClusterConfig() {}

  /**
   * @param user what the user configured (empty for none)
   * @param roleDefaults resource name of the role's own Pekko defaults
   */
  public static Config load(Config user, String roleDefaults) {
    Config layered =
        user.withFallback(ConfigFactory.parseResources(roleDefaults))
            .withFallback(ConfigFactory.parseResources(SHARED_DEFAULTS));
    return ConfigFactory.load(layered);
  }
}
