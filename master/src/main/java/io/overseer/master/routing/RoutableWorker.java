package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import org.apache.pekko.actor.typed.ActorRef;

/** A worker that has completed the readiness handshake and may receive requests. */
public record RoutableWorker(String workerId, long pid, ActorRef<WorkerProtocol.Command> ref) {}
