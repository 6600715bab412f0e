package io.overseer.protocol;

import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Names both JVMs must agree on to find each other in the cluster. */
public final class ClusterNames {
  /** Actor system name: Artery only connects systems with the same name. */
  public static final String SYSTEM = "overseer";

  /** Cluster role of the master; the split-brain resolver keeps the side that holds it. */
  public static final String ROLE_MASTER = "master";

  /** Cluster role of every worker JVM. */
  public static final String ROLE_WORKER = "worker";

  /** Path of the master's supervisor, the actor a worker sends {@link MasterProtocol.Ready} to. */
  public static final String SUPERVISOR_PATH = "/user/supervisor";

  /** Path of the master's actor that hands the BFF routes to workers started without them. */
  public static final String ROUTES_PATH = "/user/bff-routes";

  /** Workers register under this key so that any node can list them. */
  public static final ServiceKey<WorkerProtocol.Command> WORKER_KEY =
      ServiceKey.create(WorkerProtocol.Command.class, "overseer-worker");

  private ClusterNames() {}

  /** The full path of the master's routes actor ({@link RoutesProtocol}). */
  public static String routesPath(String hostPort) {
    return "pekko://" + SYSTEM + "@" + hostPort + ROUTES_PATH;
  }

  /** The supervisor's full actor path on the master listening at {@code hostPort}. */
  public static String supervisorPath(String hostPort) {
    return "pekko://" + SYSTEM + "@" + hostPort + SUPERVISOR_PATH;
  }
}
