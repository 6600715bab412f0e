package io.overseer.master.agent;

import java.util.List;
import java.util.Set;

/**
 * A host that can run processes: the master's, or an agent's, as its cluster roles tell ({@code
 * host:NAME}, {@code label:X}).
 */
public record Host(String name, Set<String> labels) {
  /** Cluster role of every agent. */
  public static final String ROLE_AGENT = "agent";

  static final String NAME_ROLE_PREFIX = "host:";
  static final String LABEL_ROLE_PREFIX = "label:";

  public Host {
    labels = Set.copyOf(labels);
  }

  /** The cluster roles an agent joins with: {@code agent}, {@code host:NAME}, {@code label:X}. */
  public List<String> roles() {
    List<String> roles = new java.util.ArrayList<>();
    roles.add(ROLE_AGENT);
    roles.add(NAME_ROLE_PREFIX + name);
    labels.stream().sorted().forEach(label -> roles.add(LABEL_ROLE_PREFIX + label));
    return roles;
  }

  /** The agent host of a member with these roles, or null for a member that is not an agent. */
  static Host fromRoles(Set<String> roles) {
    if (!roles.contains(ROLE_AGENT)) {
      return null;
    }
    String name =
        roles.stream()
            .filter(r -> r.startsWith(NAME_ROLE_PREFIX))
            .map(r -> r.substring(NAME_ROLE_PREFIX.length()))
            .findFirst()
            .orElse(null);
    if (name == null) {
      return null;
    }
    Set<String> labels =
        roles.stream()
            .filter(r -> r.startsWith(LABEL_ROLE_PREFIX))
            .map(r -> r.substring(LABEL_ROLE_PREFIX.length()))
            .collect(java.util.stream.Collectors.toSet());
    return new Host(name, labels);
  }
}
