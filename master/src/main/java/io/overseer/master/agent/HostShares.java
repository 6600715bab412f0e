package io.overseer.master.agent;

import io.overseer.master.supervision.AppSettings;
import io.overseer.master.supervision.InstanceCount;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The master's bookkeeping of where each app placed on several hosts runs: each app's count, the
 * agent hosts it knows (up or lost), and what it last told each host, so that a recomputation sends
 * only what changed. Used by {@link AgentDesk}'s actor only; the arithmetic is {@link Placement}'s.
 */
final class HostShares {

  /**
   * What a recomputation changed.
   *
   * @param local the new share of the master's host, per app whose share changed
   * @param agents the new assignment of each agent whose assignment changed (or must be resent)
   */
  record Changes(Map<String, Integer> local, Map<String, Map<String, Integer>> agents) {}

  private final ClusterPlan plan;
  private final Host master;
  private final List<String> spanning;

  /**
   * Per app: instances in total (spread) or per host (per-host, maybe each host's cores), from
   * config or {@code scale}.
   */
  private final Map<String, InstanceCount> counts = new HashMap<>();

  /** Agents that joined and did not leave gracefully: up, or lost (their share waits for them). */
  private final Map<String, Host> known = new HashMap<>();

  private final Set<String> lost = new HashSet<>();
  private final Map<String, Integer> local = new HashMap<>();
  private final Map<String, Map<String, Integer>> assigned = new HashMap<>();

  /**
   * @param localCounts the share the master's supervisor was started with, per app
   */
  HostShares(ClusterPlan plan, List<AppSettings> apps, Map<String, Integer> localCounts) {
    this(plan, apps, localCounts, InstanceCount.localCores());
  }

  /**
   * @param masterCores the cores of the master's host
   */
  HostShares(
      ClusterPlan plan, List<AppSettings> apps, Map<String, Integer> localCounts, int masterCores) {
    this.plan = plan;
    this.master = new Host(plan.nodeName(), Set.of(), masterCores);
    this.spanning =
        apps.stream().map(AppSettings::name).filter(a -> plan.placement(a).spansHosts()).toList();
    for (AppSettings app : apps) {
      AppPlacement placement = plan.placement(app.name());
      counts.put(
          app.name(),
          placement.isPerHost() ? placement.perHost() : InstanceCount.of(app.instances()));
    }
    local.putAll(localCounts);
  }

  Host master() {
    return master;
  }

  boolean spans(String app) {
    return spanning.contains(app);
  }

  boolean isLost(String host) {
    return lost.contains(host);
  }

  /** An agent is up (new, or a new incarnation): its assignment is sent whole. */
  void joined(Host host) {
    known.put(host.name(), host);
    lost.remove(host.name());
    assigned.remove(host.name());
  }

  /** Unreachable, or downed: with {@code wait} its share waits for it. */
  void lost(String host) {
    lost.add(host);
    assigned.remove(host);
  }

  /** Reachable again: its assignment is sent whole. */
  void back(String host) {
    lost.remove(host);
    assigned.remove(host);
  }

  /** Left gracefully: nothing waits for it. */
  void left(String host) {
    known.remove(host);
    lost.remove(host);
    assigned.remove(host);
  }

  void count(String app, int count) {
    counts.put(app, InstanceCount.of(count));
  }

  /** What the agent was last assigned (nothing before its first assignment). */
  Map<String, Integer> assignedTo(String host) {
    return assigned.getOrDefault(host, Map.of());
  }

  /** The app's instances across hosts, as placed now (a lost host's kept share included). */
  int desired(String app) {
    return shares(app).values().stream().mapToInt(Integer::intValue).sum();
  }

  private Map<String, Integer> shares(String app) {
    return Placement.shares(
        plan.placement(app), counts.get(app), master, List.copyOf(known.values()), lost);
  }

  /**
   * Recomputes every spanning app's shares and records them as told.
   *
   * @param up the agents that are up and reachable: only they are assigned anything
   */
  Changes replan(Collection<String> up) {
    Map<String, Integer> localChanges = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> perHost = new HashMap<>();
    for (String app : spanning) {
      Map<String, Integer> shares = shares(app);
      int share = shares.getOrDefault(master.name(), 0);
      if (local.getOrDefault(app, 0) != share) {
        local.put(app, share);
        localChanges.put(app, share);
      }
      shares.forEach((host, n) -> perHost.computeIfAbsent(host, h -> new HashMap<>()).put(app, n));
    }
    Map<String, Map<String, Integer>> agentChanges = new HashMap<>();
    for (String host : up) {
      Map<String, Integer> share = Map.copyOf(perHost.getOrDefault(host, Map.of()));
      if (!lost.contains(host) && !share.equals(assigned.get(host))) {
        assigned.put(host, share);
        agentChanges.put(host, share);
      }
    }
    return new Changes(localChanges, agentChanges);
  }
}
