package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import org.apache.pekko.actor.typed.ActorRef;

/** Builds the message of one attempt of a request; each attempt (a retry too) gets its own id. */
@FunctionalInterface
public interface WorkerRequest {
  /**
   * @param requestId the attempt's id, echoed in the worker's reply
   * @param timeoutMillis what is left of the request's deadline
   * @param replyTo the router's reply inbox
   */
  WorkerProtocol.Command create(
      long requestId, long timeoutMillis, ActorRef<WorkerProtocol.Reply> replyTo);
}
