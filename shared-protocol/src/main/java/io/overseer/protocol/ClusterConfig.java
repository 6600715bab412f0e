package io.overseer.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.protocol.tls.ClusterTls;
import java.util.List;

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

  /**
   * Where a node is, where it binds, whom it joins and over which transport, in Pekko's keys: set
   * here alone, for the master, its workers and the agents.
   *
   * @param host the address other nodes reach this one at (advertised, Pekko's canonical hostname)
   * @param port the port they reach it at; 0 for any free one
   * @param bindHost the address the node binds when it differs from {@code host} (behind NAT, in a
   *     container); empty for {@code host}
   * @param bindPort the port it binds when it differs from {@code port}; empty for {@code port}
   * @param seed {@code host:port} of the node to join (the master)
   */
  public static Config node(
      String host, int port, String bindHost, String bindPort, String seed, ClusterTls tls) {
    String seedAddress = "pekko://" + ClusterNames.SYSTEM + "@" + seed;
    return ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(bindHost))
        .withValue("pekko.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(bindPort))
        .withValue(
            "pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seedAddress)))
        .withFallback(tls.toPekko());
  }
}
