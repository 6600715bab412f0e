package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/** The routing table of a command app: its processes take no requests from the edge. */
public final class NoRouting implements RoutingTable {
  @Override
  public void online(RoutableWorker worker) {}

  @Override
  public void drain(ActorRef<WorkerProtocol.Command> worker) {}

  @Override
  public CompletionStage<Void> whenIdle(ActorRef<WorkerProtocol.Command> worker) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void offline(ActorRef<WorkerProtocol.Command> worker, String reason) {}
}
