package io.overseer.master.agent;

import io.overseer.master.supervision.InstanceCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The placement arithmetic, a pure function: how many instances of one app each host runs. The
 * master's host comes first, then the agents by name, so that a spread's remainder always lands on
 * the same hosts and a recomputation with nothing changed moves nothing.
 */
public final class Placement {
  private Placement() {}

  /**
   * @param placement the app's placement
   * @param instances the app's instance count: with {@code per-host} 0 the total ({@code
   *     instances}, or the latest {@code scale}); with {@code per-host} above 0 the count on each
   *     host ({@code per-host}, or the latest {@code scale})
   * @param master the master's host
   * @param agents every agent host the master knows: up ones, and lost ones (unreachable, or downed
   *     and not yet back); an agent that left gracefully is not among them
   * @param lost the names of the agents in {@code agents} that are lost now
   * @return the instances of each host that is to run some, the master's included (a lost host's
   *     share is kept under its name with {@code wait}: it is not running, and nobody makes up for
   *     it); hosts with none are left out
   */
  public static Map<String, Integer> shares(
      AppPlacement placement, int instances, Host master, List<Host> agents, Set<String> lost) {
    return shares(placement, InstanceCount.of(instances), master, agents, lost);
  }

  /**
   * As {@link #shares(AppPlacement, int, Host, List, Set)}, with a count that may follow each
   * host's cores ({@code per-host = max}); a total to spread follows the master's.
   */
  public static Map<String, Integer> shares(
      AppPlacement placement,
      InstanceCount count,
      Host master,
      List<Host> agents,
      Set<String> lost) {
    List<Host> candidates = new ArrayList<>();
    if (placement.matches(master, true)) {
      candidates.add(master);
    }
    agents.stream()
        .filter(agent -> placement.matches(agent, false))
        .filter(
            agent ->
                placement.onHostLost() == AppPlacement.OnHostLost.WAIT
                    || !lost.contains(agent.name()))
        .sorted(Comparator.comparing(Host::name))
        .forEach(candidates::add);
    Map<String, Integer> shares = new LinkedHashMap<>();
    if (candidates.isEmpty()) {
      return shares;
    }
    if (placement.isPerHost()) {
      for (Host host : candidates) {
        if (count.on(host.cores()) > 0) {
          shares.put(host.name(), count.on(host.cores()));
        }
      }
      return shares;
    }
    int instances = count.on(master.cores());
    int each = instances / candidates.size();
    int remainder = instances % candidates.size();
    for (int i = 0; i < candidates.size(); i++) {
      int share = each + (i < remainder ? 1 : 0);
      if (share > 0) {
        shares.put(candidates.get(i).name(), share);
      }
    }
    return shares;
  }
}
