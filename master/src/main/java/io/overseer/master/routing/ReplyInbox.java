package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorCell;
import org.apache.pekko.actor.FunctionRef;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.BoxedUnit;

/**
 * The address workers send their replies to: a Pekko function ref, which runs its handler on the
 * thread that delivers the message (Artery's inbound stream) instead of queueing it in an actor's
 * mailbox for another thread. Profiles of the routed path on 2 cores showed a third of the master's
 * CPU in parking and waking threads; each mailbox hop a reply skips is one wake-up fewer. Pekko
 * Streams' stage actors use the same mechanism, remote senders included. The handler must be
 * thread-safe and quick ({@link WorkerRouter} is both): it runs inside the transport.
 *
 * <p>Kept although it is Pekko-internal API because it pays: it was part of the change that took
 * routed requests per second up 30 % on 2 cores (BENCHMARKS.md, "Routed path: profile and
 * changes"). {@code ReplyInboxTest} and {@code ReplyInboxRemoteTest} fail by name if a Pekko
 * upgrade changes it; the way back is a plain actor that calls the handler from its mailbox.
 */
public final class ReplyInbox {
  private static final Logger log = LoggerFactory.getLogger(ReplyInbox.class);

  private ReplyInbox() {}

  /** A reply address that lives as long as the actor of {@code context}. */
  public static ActorRef<WorkerProtocol.Reply> create(
      ActorContext<?> context, Consumer<WorkerProtocol.Reply> handler) {
    // addFunctionRef is Pekko-internal API (public in bytecode); it is what getStageActor builds
    // on.
    ActorCell cell = (ActorCell) Adapter.toClassic(context);
    FunctionRef ref =
        cell.addFunctionRef(
            (sender, message) -> {
              deliver(handler, message);
              return BoxedUnit.UNIT;
            },
            "");
    return Adapter.toTyped(ref);
  }

  private static void deliver(Consumer<WorkerProtocol.Reply> handler, Object message) {
    if (!(message instanceof WorkerProtocol.Reply reply)) {
      log.warn("reply inbox ignored a {}", message == null ? "null" : message.getClass().getName());
      return;
    }
    try {
      handler.accept(reply);
    } catch (RuntimeException e) {
      // Never let a failure escape into the transport's stream: that would end the association.
      log.error("handling reply {} failed", reply.requestId(), e);
    }
  }
}
