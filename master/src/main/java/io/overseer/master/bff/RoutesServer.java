package io.overseer.master.bff;

import io.overseer.protocol.RoutesProtocol;
import io.overseer.protocol.WorkerProtocol;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a worker started by hand without {@code --config} with the master's BFF routes ({@link
 * WorkerRoutes}), at {@link io.overseer.protocol.ClusterNames#ROUTES_PATH}. Stateless.
 */
public final class RoutesServer {
  private static final Logger log = LoggerFactory.getLogger(RoutesServer.class);

  private RoutesServer() {}

  /**
   * @param prepared what every asking worker gets; without routes (too large to send) the worker
   *     gets none, and answers the routes with 501 until started with {@code --config}
   */
  public static Behavior<RoutesProtocol.Command> create(WorkerRoutes.Prepared prepared) {
    return Behaviors.supervise(
            Behaviors.receive(RoutesProtocol.Command.class)
                .onMessage(RoutesProtocol.RoutesWanted.class, wanted -> answered(wanted, prepared))
                .build())
        .onFailure(SupervisorStrategy.resume());
  }

  private static Behavior<RoutesProtocol.Command> answered(
      RoutesProtocol.RoutesWanted wanted, WorkerRoutes.Prepared prepared) {
    if (prepared.routes() == null) {
      log.warn(
          "{} asked for the BFF routes, which cannot be sent ({}): start it with --config",
          wanted.workerId(),
          prepared.refusal());
      wanted.replyTo().tell(NONE);
    } else {
      log.info("sending the BFF routes to {}", wanted.workerId());
      wanted.replyTo().tell(prepared.routes());
    }
    return Behaviors.same();
  }

  private static final WorkerProtocol.UseBffRoutes NONE =
      new WorkerProtocol.UseBffRoutes("", java.util.Map.of());
}
