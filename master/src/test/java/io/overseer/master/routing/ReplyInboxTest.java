package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reply inbox: every reply reaches the handler, a failing one included, by any address form.
 */
class ReplyInboxTest {
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
              inboxes.ref().tell(ReplyInbox.create(context, "replies", handler));
              return Behaviors.empty();
            }));
    return inboxes.receiveMessage();
  }

  private static WorkerProtocol.Reply computed(long id) {
    return new WorkerProtocol.Computed(id, 1, "0", "w", 1, 0);
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
