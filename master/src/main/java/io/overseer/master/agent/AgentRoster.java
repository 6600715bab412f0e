package io.overseer.master.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.UniqueAddress;

/**
 * The agents that are cluster members now, by host name, for the {@link AgentDesk} (and only used
 * from its thread): where each one's agent actor is, and which of them may be told anything — one
 * whose share is lost (downed, unreachable) is a member of the roster but is sent nothing.
 */
final class AgentRoster {
  /** An agent the master has seen Up: its host and where its agent actor is. */
  record AgentNode(Host host, UniqueAddress address, ActorRef<AgentProtocol.ToAgent> ref) {}

  private final Map<String, AgentNode> agents = new HashMap<>();
  private final HostShares shares;
  private final String masterHost;

  /**
   * @param masterHost the master's own host name, which is never an agent's
   */
  AgentRoster(HostShares shares, String masterHost) {
    this.shares = shares;
    this.masterHost = masterHost;
  }

  AgentNode get(String host) {
    return agents.get(host);
  }

  void put(AgentNode node) {
    agents.put(node.host().name(), node);
  }

  void remove(String host) {
    agents.remove(host);
  }

  boolean contains(String host) {
    return agents.containsKey(host);
  }

  Set<String> names() {
    return agents.keySet();
  }

  void forEach(BiConsumer<String, AgentNode> action) {
    agents.forEach(action);
  }

  /** The agent actor of a host that is up, or null (the master's host, or a lost agent). */
  ActorRef<AgentProtocol.ToAgent> ref(String host) {
    AgentNode node = agents.get(host);
    return node == null || shares.isLost(host) || host.equals(masterHost) ? null : node.ref();
  }

  /** The agent actor of each host that is up, by name. */
  Map<String, ActorRef<AgentProtocol.ToAgent>> up() {
    Map<String, ActorRef<AgentProtocol.ToAgent>> up = new TreeMap<>();
    agents.keySet().stream()
        .filter(name -> ref(name) != null)
        .forEach(name -> up.put(name, ref(name)));
    return up;
  }

  /**
   * The hosts an operation on {@code app} goes through, one after another: the master's first, then
   * each agent that is up and runs some of the app, by name.
   */
  List<String> hostsRunning(String app) {
    List<String> hosts = new ArrayList<>();
    hosts.add(masterHost);
    agents.keySet().stream()
        .filter(name -> !shares.isLost(name))
        .filter(name -> shares.assignedTo(name).getOrDefault(app, 0) > 0)
        .sorted()
        .forEach(hosts::add);
    return hosts;
  }
}
