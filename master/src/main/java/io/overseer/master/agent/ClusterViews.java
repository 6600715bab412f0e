package io.overseer.master.agent;

import io.overseer.master.supervision.AppView;
import io.overseer.master.supervision.ProcessView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every host's processes in one list per app, for the admin API and the CLI: the master's own view
 * of each app, with the processes the agents reported added and every process marked with its host.
 * Reads only.
 */
final class ClusterViews {
  private ClusterViews() {}

  /**
   * @param local the master's own apps, as its process supervisor shows them
   * @param masterHost the master's host name
   * @param agents each reachable agent's latest views, by agent name
   * @param desired each spanning app's instances across hosts; an app not in it shows the master's
   *     own count
   */
  static List<AppView> merge(
      List<AppView> local,
      String masterHost,
      Map<String, List<AppView>> agents,
      Map<String, Integer> desired) {
    List<AppView> merged = new ArrayList<>();
    Map<String, List<AppView>> sortedAgents = new TreeMap<>(agents);
    for (AppView app : local) {
      List<ProcessView> processes = new ArrayList<>();
      app.processes().forEach(p -> processes.add(p.onHost(masterHost)));
      Set<String> states = new LinkedHashSet<>();
      if (app.instances() > 0 || !app.processes().isEmpty()) {
        states.add(app.state());
      }
      sortedAgents.forEach(
          (host, views) ->
              views.stream()
                  .filter(view -> view.name().equals(app.name()))
                  .forEach(
                      view -> {
                        view.processes().forEach(p -> processes.add(p.onHost(host)));
                        if (view.instances() > 0 || !view.processes().isEmpty()) {
                          states.add(view.state());
                        }
                      }));
      merged.add(
          new AppView(
              app.name(),
              app.mode(),
              desired.getOrDefault(app.name(), app.instances()),
              app.spares(),
              state(states, app.state()),
              List.copyOf(processes)));
    }
    return merged;
  }

  /**
   * One state for an app across hosts: the hosts' common state, else degraded if any host serves,
   * else the first host's (the master's when it runs any).
   */
  static String state(Set<String> hostStates, String fallback) {
    if (hostStates.isEmpty()) {
      return fallback;
    }
    if (hostStates.size() == 1) {
      return hostStates.iterator().next();
    }
    if (hostStates.contains("online") || hostStates.contains("degraded")) {
      return "degraded";
    }
    return hostStates.iterator().next();
  }
}
