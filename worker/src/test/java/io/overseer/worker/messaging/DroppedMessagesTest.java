package io.overseer.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.MessageListener;
import io.overseer.protocol.MessagingProtocol;
import io.overseer.protocol.messaging.MessageHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What a full lane drops is counted by the message's kind, for the worker's pongs. */
class DroppedMessagesTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static MessagingProtocol.Delivery topic(int n) {
    return new MessagingProtocol.Delivery(
        MessagingProtocol.Kind.TOPIC, "prices", "web", "web-2", 7, String.valueOf(n));
  }

  @Test
  void nothingDroppedIsZeroForEveryKind() {
    assertEquals(
        Map.of("direct", 0L, "broadcast", 0L, "topic", 0L), new DroppedMessages().byKind());
  }

  @Test
  void messagesAFullLaneDidNotTakeAreCountedByTheirKind() throws Exception {
    TestProbe<MessageHub.Command> hub = testKit.createTestProbe();
    DroppedMessages dropped = new DroppedMessages();
    ActorRef<MessageInbox.Command> inbox =
        testKit.spawn(MessageInbox.create(hub.ref(), "web-1", dropped));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Message> seen = new CopyOnWriteArrayList<>();
    MessageListener slow =
        message -> {
          seen.add(message);
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    // One message per lane: while the listener holds the first, the second waits and the rest
    // are dropped.
    try (ListenerLanes lanes = new ListenerLanes(1, 1, Duration.ofMinutes(1))) {
      inbox.tell(new MessageInbox.Listen("prices", lanes.lane("slow", Runnable::run), slow));
      ActorRef<MessagingProtocol.Delivery> subscriber =
          hub.expectMessageClass(MessageHub.Subscribe.class).subscriber();
      subscriber.tell(topic(1));
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the listener took the first message");
      for (int n = 2; n <= 4; n++) {
        subscriber.tell(topic(n));
      }
      await("two dropped")
          .atMost(Duration.ofSeconds(10))
          .until(() -> dropped.byKind().get("topic") == 2);
      release.countDown();
      await("the queued one delivered")
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.size() == 2);
      assertEquals(Map.of("direct", 0L, "broadcast", 0L, "topic", 2L), dropped.byKind());
      assertEquals("2", seen.get(1).body().toString());
    }
  }
}
