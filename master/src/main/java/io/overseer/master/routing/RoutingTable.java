package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a supervisor tells the router. Workers are known by their actor reference, unique per
 * process: during a reload the old and the new process of one instance share its id. Changes take
 * effect for the very next request, without waiting for cluster gossip.
 */
public interface RoutingTable {
  /** The worker finished its readiness handshake. */
  void online(RoutableWorker worker);

  /** The worker gets no new requests; those in flight on it may finish. */
  void drain(ActorRef<WorkerProtocol.Command> worker);

  /** Completes when no request is in flight on the worker any more. */
  CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker);

  /** The worker is gone: no new requests, and those in flight on it fail at once. */
  void offline(ActorRef<WorkerProtocol.Command> worker, String reason);
}
