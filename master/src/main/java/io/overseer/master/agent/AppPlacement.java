package io.overseer.master.agent;

import com.typesafe.config.Config;
import io.overseer.master.supervision.InstanceCount;
import java.util.List;
import java.util.Locale;

/**
 * Where one app runs: {@code overseer.apps.<name>.placement} over {@code
 * overseer.app-defaults.placement}.
 *
 * @param hosts empty: the master's host only (a single machine, the default); {@code "*"}: every
 *     host, the master's included; otherwise host names and {@code "label:X"} (agents started with
 *     {@code --labels X})
 * @param perHost 0: the app's instances are a total, spread over the matching hosts; N: N instances
 *     on each matching host; {@code max}, {@code max-N}: as many as each host has cores (less N)
 * @param onHostLost what the other hosts do about a lost host's share
 */
public record AppPlacement(List<String> hosts, InstanceCount perHost, OnHostLost onHostLost) {

  /** What happens to the share of a host that is unreachable or was downed. */
  public enum OnHostLost {
    /** Run with less capacity until the host is back (its share is kept for it). */
    WAIT,
    /** Spread the app's instances over the hosts that remain, until the host is back. */
    REPLACE
  }

  /** The default: everything on the master's host, as on a single machine. */
  public static final AppPlacement MASTER_ONLY = new AppPlacement(List.of(), 0, OnHostLost.WAIT);

  /** A fixed count per host ({@code perHost} 0: spread). */
  public AppPlacement(List<String> hosts, int perHost, OnHostLost onHostLost) {
    this(hosts, InstanceCount.of(perHost), onHostLost);
  }

  public AppPlacement {
    hosts = List.copyOf(hosts);
    for (String host : hosts) {
      if (host.isBlank() || host.equals("label:")) {
        throw new IllegalArgumentException(
            "placement.hosts: an entry is a host name, \"*\" or \"label:X\", got \"" + host + "\"");
      }
    }
  }

  /** Whether each host runs its own count ({@code per-host} above 0, or {@code max}). */
  public boolean isPerHost() {
    return perHost.any();
  }

  /** Whether any host but the master's may run this app. */
  public boolean spansHosts() {
    return !hosts.isEmpty();
  }

  /**
   * @param placement the app's {@code placement} block, app-defaults already applied
   */
  public static AppPlacement fromConfig(Config placement) {
    String lost = placement.getString("on-host-lost").toUpperCase(Locale.ROOT);
    OnHostLost onHostLost;
    try {
      onHostLost = OnHostLost.valueOf(lost);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "placement.on-host-lost must be wait or replace, got \""
              + placement.getString("on-host-lost")
              + "\"");
    }
    InstanceCount perHost;
    try {
      perHost = InstanceCount.read(placement, "per-host");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("placement." + e.getMessage(), e);
    }
    return new AppPlacement(placement.getStringList("hosts"), perHost, onHostLost);
  }

  /** Whether {@code host} is one of the hosts this app may run on. */
  boolean matches(Host host, boolean isMaster) {
    if (hosts.isEmpty()) {
      return isMaster;
    }
    for (String entry : hosts) {
      if (entry.equals("*") || entry.equals(host.name())) {
        return true;
      }
      if (entry.startsWith("label:") && host.labels().contains(entry.substring(6))) {
        return true;
      }
    }
    return false;
  }
}
