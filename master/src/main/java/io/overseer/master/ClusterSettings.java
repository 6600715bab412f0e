package io.overseer.master;

import com.typesafe.config.Config;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.tls.ClusterTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code overseer.cluster}: the master's cluster node, the seed every worker joins.
 *
 * @param host the address workers reach the master at (advertised)
 * @param port its port
 * @param bindHost the address the port is bound on when it differs from host; empty for host
 * @param bindPort the port bound when it differs from port; empty for port
 * @param insecure plain TCP allowed on an address other than loopback (a loud warning at start)
 * @param tls Artery over mutual TLS, and the files for it
 */
public record ClusterSettings(
    String host, int port, String bindHost, String bindPort, boolean insecure, ClusterTls tls) {

  /**
   * Reads {@code overseer.cluster}; the TLS files are read and checked now (exit 78 for a missing
   * or wrong one), and a cluster port open to the network without TLS is refused unless insecure.
   */
  static ClusterSettings create(Config o, Path configDirectory) {
    Config c = o.getConfig("cluster");
    String bindPort = c.getString("bind-port");
    if (!bindPort.isEmpty()
        && (!bindPort.matches("\\d{1,5}") || Integer.parseInt(bindPort) > 65_535)) {
      throw new IllegalArgumentException(
          "overseer.cluster.bind-port must be empty or a port 0..65535, not '" + bindPort + "'");
    }
    ClusterTls tls = ClusterTls.fromConfig(c.getConfig("tls"), configDirectory);
    tls.check("overseer.cluster.tls");
    ClusterSettings settings =
        new ClusterSettings(
            c.getString("host"),
            c.getInt("port"),
            c.getString("bind-host"),
            bindPort,
            c.getBoolean("insecure"),
            tls);
    if (settings.exposedWithoutTls() && !settings.insecure()) {
      throw new IllegalArgumentException(
          settings.boundKey()
              + " = "
              + settings.boundHost()
              + ": the cluster port would accept any node from the network over plain TCP;"
              + " set overseer.cluster.tls (certificates: overseer certs) or, knowingly,"
              + " overseer.cluster.insecure = on");
    }
    return settings;
  }

  /** The address the cluster port is bound on. */
  public String boundHost() {
    return bindHost.isEmpty() ? host : bindHost;
  }

  /** The port bound. */
  public int boundPort() {
    return bindPort.isEmpty() ? port : Integer.parseInt(bindPort);
  }

  /** The key that sets {@link #boundHost()}, for messages. */
  String boundKey() {
    return bindHost.isEmpty() ? "overseer.cluster.host" : "overseer.cluster.bind-host";
  }

  /** Plain TCP on an address other machines can reach (0.0.0.0 included). */
  public boolean exposedWithoutTls() {
    if (tls.on()) {
      return false;
    }
    try {
      return !InetAddress.getByName(boundHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return true; // cannot tell: binding will fail anyway, and it must not pass for safe
    }
  }

  /** The master's node in Pekko's keys: the seed of its own cluster. */
  Config pekko() {
    return ClusterConfig.node(host, port, bindHost, bindPort, host + ":" + port, tls);
  }

  /** A node of this cluster that joins {@code seed} (an agent joining its master). */
  public Config pekkoJoining(String seed) {
    return ClusterConfig.node(host, port, bindHost, bindPort, seed, tls);
  }

  /**
   * What a worker spawned by this master needs to join: the seed and the TLS files. Such a worker
   * runs on the master's host and uses the host's node certificate, the master's own (a certificate
   * names a node's cluster, not its process): no key is ever copied or generated.
   */
  public List<String> workerArguments() {
    // A spawned worker advertises the master's cluster host (127.0.0.1 would not be reachable from
    // other hosts) and binds where the master binds (say 0.0.0.0 behind a NAT), on a port of its
    // own.
    List<String> argv = new ArrayList<>(List.of("--join", host + ":" + port, "--host", host));
    if (!bindHost.isEmpty()) {
      argv.addAll(List.of("--bind-host", bindHost));
    }
    argv.addAll(tls.workerArguments());
    return List.copyOf(argv);
  }
}
