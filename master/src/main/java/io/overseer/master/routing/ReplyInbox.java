package io.overseer.master.routing;

import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address workers send their replies to: a small actor, one per worker app, that hands each
 * reply to the app's {@link WorkerRouter} (thread-safe, quick), and on a timer runs the router's
 * per-attempt timeout check between replies. Its failures never stop it: a handler that throws is
 * logged and the next reply is handled.
 *
 * <p>Until this session it was a Pekko function ref ({@code ActorCell.addFunctionRef},
 * Pekko-internal API), which runs the handler on Artery's inbound thread and skips a mailbox hop.
 * Measured side by side on 2 cores ({@code bench/profile.py --rounds 2 --root ...}, alternating):
 * 37,466 / 37,404 routed req/s and 33.6 / 33.1 master CPU µs per request with the function ref,
 * 37,159 / 37,380 / 37,099 and 33.8 / 33.5 / 33.8 with this actor: no difference beyond noise, so
 * the public API it is.
 */
public final class ReplyInbox {
  private static final Logger log = LoggerFactory.getLogger(ReplyInbox.class);

  private ReplyInbox() {}

  /**
   * A reply address, a child of {@code context}'s actor named {@code name}, watched by it (it does
   * not fail: a failing handler is logged).
   */
  public static ActorRef<WorkerProtocol.Reply> create(
      ActorContext<?> context, String name, Consumer<WorkerProtocol.Reply> handler) {
    ActorRef<WorkerProtocol.Reply> inbox =
        context.spawn(
            Behaviors.receiveMessage(
                reply -> {
                  deliver(handler, reply);
                  return Behaviors.same();
                }),
            name);
    context.watch(inbox);
    return inbox;
  }

  private enum Check {
    INSTANCE
  }

  /**
   * A reply address as above that also runs {@code check} every {@code interval}, on its own thread
   * between replies (one round at a time): the router's per-attempt timeout ({@link
   * WorkerRouter#checkAttempts}). A check that throws is logged; the next one runs.
   */
  public static ActorRef<WorkerProtocol.Reply> create(
      ActorContext<?> context,
      String name,
      Consumer<WorkerProtocol.Reply> handler,
      Runnable check,
      Duration interval) {
    ActorRef<Object> inbox =
        context.spawn(
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Check.INSTANCE, interval);
                  return Behaviors.receive(Object.class)
                      .onMessageEquals(Check.INSTANCE, () -> checked(check))
                      .onMessage(WorkerProtocol.Reply.class, reply -> delivered(handler, reply))
                      .build();
                }),
            name);
    context.watch(inbox);
    return inbox.narrow();
  }

  private static Behavior<Object> checked(Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) {
      log.error("the router's attempt check failed", e);
    }
    return Behaviors.same();
  }

  private static Behavior<Object> delivered(
      Consumer<WorkerProtocol.Reply> handler, WorkerProtocol.Reply reply) {
    deliver(handler, reply);
    return Behaviors.same();
  }

  private static void deliver(Consumer<WorkerProtocol.Reply> handler, WorkerProtocol.Reply reply) {
    try {
      handler.accept(reply);
    } catch (RuntimeException e) {
      // A reply the router could not take must not cost the replies after it.
      log.error("handling reply {} failed", reply.requestId(), e);
    }
  }
}
