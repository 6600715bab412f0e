package io.overseer.master.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the master needs to place apps on hosts, read once at start.
 *
 * @param nodeName the master's host name ({@code overseer.cluster.node-name})
 * @param placements each app's placement, by app name
 * @param fingerprint a digest of the apps' definitions, sent to agents so that one whose copy of
 *     the configuration differs says so
 */
public record ClusterPlan(
    String nodeName, Map<String, AppPlacement> placements, String fingerprint) {

  public ClusterPlan {
    placements = Map.copyOf(placements);
  }

  /** Reads {@code overseer.cluster.node-name} and every app's {@code placement}. */
  public static ClusterPlan read(Config loaded) {
    Config o = loaded.getConfig("overseer");
    String nodeName = o.getString("cluster.node-name");
    if (nodeName.isBlank()) {
      nodeName = machineName();
    } else if (!nodeName.matches(AgentArgs.NAME_PATTERN)) {
      throw new IllegalArgumentException(
          "overseer.cluster.node-name must be letters, digits, '_', '.', '-', got \""
              + nodeName
              + "\"");
    }
    Map<String, AppPlacement> placements = new LinkedHashMap<>();
    Config defaults = o.getConfig("app-defaults");
    for (String app : o.getObject("apps").keySet()) {
      Config c = o.getConfig("apps").getConfig("\"" + app + "\"").withFallback(defaults);
      try {
        placements.put(app, AppPlacement.fromConfig(c.getConfig("placement")));
      } catch (ConfigException | IllegalArgumentException e) {
        throw new IllegalArgumentException("overseer.apps." + app + ": " + e.getMessage(), e);
      }
    }
    return new ClusterPlan(nodeName, placements, fingerprint(o));
  }

  /** The placement of {@code app}; the master's host only for an app it does not know. */
  public AppPlacement placement(String app) {
    return placements.getOrDefault(app, AppPlacement.MASTER_ONLY);
  }

  /** Whether any app may run anywhere but the master's host. */
  public boolean spansHosts() {
    return placements.values().stream().anyMatch(AppPlacement::spansHosts);
  }

  /**
   * SHA-256 of the apps and their defaults as HOCON resolves them (keys in order), shortened: the
   * same on every host that has the same configuration.
   */
  static String fingerprint(Config overseer) {
    String apps =
        overseer.getObject("apps").render(ConfigRenderOptions.concise())
            + overseer.getObject("app-defaults").render(ConfigRenderOptions.concise());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(apps.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String machineName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.matches(AgentArgs.NAME_PATTERN) ? name : "master";
    } catch (UnknownHostException e) {
      return "master";
    }
  }
}
