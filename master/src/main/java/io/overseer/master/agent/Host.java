package io.overseer.master.agent;

import java.util.List;
import java.util.Set;

/**
 * A host that can run processes: the master's, or an agent's, as its cluster roles tell ({@code
 * host:NAME}, {@code label:X}, {@code cores:N}).
 *
 * @param cores how many cores the host's JVM sees: what {@code per-host = max} runs there
 */
public record Host(String name, Set<String> labels, int cores) {
  /** Cluster role of every agent. */
  public static final String ROLE_AGENT = "agent";

  static final String NAME_ROLE_PREFIX = "host:";
  static final String LABEL_ROLE_PREFIX = "label:";
  static final String CORES_ROLE_PREFIX = "cores:";

  public Host {
    labels = Set.copyOf(labels);
    cores = Math.max(1, cores);
  }

  /** A host whose cores do not matter (no app of it runs {@code max}). */
  public Host(String name, Set<String> labels) {
    this(name, labels, 1);
  }

  /**
   * The cluster roles an agent joins with: {@code agent}, {@code host:NAME}, {@code cores:N},
   * {@code label:X}. Roles travel with the membership, so the master knows every agent's cores the
   * moment it is Up, before any message.
   */
  public List<String> roles() {
    List<String> roles = new java.util.ArrayList<>();
    roles.add(ROLE_AGENT);
    roles.add(NAME_ROLE_PREFIX + name);
    roles.add(CORES_ROLE_PREFIX + cores);
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
    int cores =
        roles.stream()
            .filter(r -> r.startsWith(CORES_ROLE_PREFIX))
            .map(r -> r.substring(CORES_ROLE_PREFIX.length()))
            .filter(n -> n.matches("\\d{1,4}"))
            .mapToInt(Integer::parseInt)
            .findFirst()
            .orElse(1);
    Set<String> labels =
        roles.stream()
            .filter(r -> r.startsWith(LABEL_ROLE_PREFIX))
            .map(r -> r.substring(LABEL_ROLE_PREFIX.length()))
            .collect(java.util.stream.Collectors.toSet());
    return new Host(name, labels, cores);
  }
}
