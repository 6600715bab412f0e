package io.overseer.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * A worker started by hand without {@code --config} asks the master for its BFF routes, so that it
 * answers them like any other worker instead of with 501.
 */
public interface RoutesProtocol {

  /** Messages the master's routes actor ({@link ClusterNames#ROUTES_PATH}) accepts. */
  sealed interface Command permits RoutesWanted {}

  /**
   * Sent until answered, before the worker announces itself ready.
   *
   * @param workerId for the master's log
   * @param replyTo receives {@link WorkerProtocol.UseBffRoutes}
   */
  record RoutesWanted(String workerId, ActorRef<WorkerProtocol.Command> replyTo)
      implements Command, OverseerSerializable {}
}
