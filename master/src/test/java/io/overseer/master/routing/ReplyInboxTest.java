package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.WorkerProtocol;
import java.lang.reflect.Method;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorCell;
import org.apache.pekko.actor.FunctionRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reply inbox, and the Pekko-internal API it builds on ({@code ActorCell.addFunctionRef}):
 * should a Pekko upgrade change or remove it, these tests say so by name instead of the master
 * losing its replies or the routed path its speed (+30 % routed requests per second with the other
 * changes of BENCHMARKS.md's "Routed path" section) without a word.
 */
class ReplyInboxTest {
  private static final String UPGRADE_NOTE =
      "Pekko-internal API that routing.ReplyInbox relies on has changed"
          + " (was the Pekko version upgraded?): ";
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<WorkerProtocol.Reply> inbox(
      java.util.function.Consumer<WorkerProtocol.Reply> handler) {
    TestProbe<ActorRef<WorkerProtocol.Reply>> inboxes = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              inboxes.ref().tell(ReplyInbox.create(context, handler));
              return Behaviors.empty();
            }));
    return inboxes.receiveMessage();
  }

  private static WorkerProtocol.Reply computed(long id) {
    return new WorkerProtocol.Computed(id, 1, "0", "w", 1, 0);
  }

  @Test
  void theInternalPekkoMethodItBuildsOnIsStillThereWithTheSameSignature() {
    Method method;
    try {
      method = ActorCell.class.getMethod("addFunctionRef", scala.Function2.class, String.class);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(
          UPGRADE_NOTE + "ActorCell.addFunctionRef(Function2, String) is gone", e);
    }
    assertEquals(
        FunctionRef.class,
        method.getReturnType(),
        UPGRADE_NOTE + "ActorCell.addFunctionRef no longer returns a FunctionRef");
    assertTrue(
        org.apache.pekko.actor.ActorRef.class.isAssignableFrom(FunctionRef.class),
        UPGRADE_NOTE + "a FunctionRef is no longer a classic ActorRef");
  }

  @Test
  void aTypedActorsContextIsStillTheClassicActorCellItCasts() {
    TestProbe<Object> cells = testKit.createTestProbe();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              cells.ref().tell(Adapter.toClassic(context));
              return Behaviors.empty();
            }));
    assertInstanceOf(
        ActorCell.class,
        cells.receiveMessage(),
        UPGRADE_NOTE + "Adapter.toClassic(context) of a typed actor is no longer an ActorCell");
  }

  @Test
  void runsTheHandlerOnTheSendersThreadWithoutAMailboxHop() throws Exception {
    LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
    ActorRef<WorkerProtocol.Reply> inbox =
        inbox(reply -> threads.add(Thread.currentThread().getName()));
    inbox.tell(computed(1));
    assertEquals(Thread.currentThread().getName(), threads.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aHandlerThatThrowsDoesNotStopLaterReplies() throws Exception {
    LinkedBlockingQueue<Long> handled = new LinkedBlockingQueue<>();
    ActorRef<WorkerProtocol.Reply> inbox =
        inbox(
            reply -> {
              handled.add(reply.requestId());
              if (reply.requestId() == 1) {
                throw new IllegalStateException("boom");
              }
            });
    inbox.tell(computed(1));
    inbox.tell(computed(2));
    assertEquals(1L, handled.poll(5, TimeUnit.SECONDS));
    assertEquals(2L, handled.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void isReachableThroughItsSerializedAddressAsWorkersSeeIt() throws Exception {
    LinkedBlockingQueue<Long> handled = new LinkedBlockingQueue<>();
    ActorRef<WorkerProtocol.Reply> inbox = inbox(reply -> handled.add(reply.requestId()));
    ActorRefResolver resolver = ActorRefResolver.get(testKit.system());
    ActorRef<WorkerProtocol.Reply> resolved =
        resolver.resolveActorRef(resolver.toSerializationFormat(inbox));
    resolved.tell(computed(7));
    assertEquals(7L, handled.poll(5, TimeUnit.SECONDS));
  }
}
