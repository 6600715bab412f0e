package io.overseer.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.MessageRefused;
import io.overseer.api.messaging.Messages;
import io.overseer.api.messaging.Subscription;
import io.overseer.protocol.MessagingProtocol;
import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import io.overseer.protocol.messaging.MessagingSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * User code's sender on a worker: what it refuses on the caller's thread, what it hands the hub,
 * and a run-time subscription through the real hub, inbox and lanes (one local node).
 */
class WorkerMessagingTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "overseer.messaging { max-message-size = 64, listing-wait = 300ms }")
              .withFallback(ConfigFactory.load()));
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static WorkerMessages withProbes(TestProbe<MessageHub.Command> hub) {
    MessagingSettings settings = MessagingSettings.create(testKit.system().settings().config());
    TestProbe<MessageInbox.Command> inbox = testKit.createTestProbe();
    return new WorkerMessages(
        "web",
        "web-1",
        42,
        new MessageRules(settings),
        hub.ref(),
        inbox.ref(),
        new ListenerLanes(1, 1, Duration.ofSeconds(1)),
        new DroppedMessages());
  }

  @Test
  void sendBroadcastAndPublishGoToTheirTopicsWithTheSenderNamed() {
    TestProbe<MessageHub.Command> hub = testKit.createTestProbe();
    WorkerMessages messages = withProbes(hub);
    messages.send("web-2", JSON.objectNode().put("a", 1));
    messages.broadcast(JSON.numberNode(7));
    messages.publish("cache", JSON.textNode("drop"));

    MessageHub.Publish direct = hub.expectMessageClass(MessageHub.Publish.class);
    assertEquals("process:web-2", direct.topic());
    assertEquals(
        new MessagingProtocol.Delivery(
            MessagingProtocol.Kind.DIRECT, "", "web", "web-1", 42, "{\"a\":1}"),
        direct.delivery());
    MessageHub.Publish broadcast = hub.expectMessageClass(MessageHub.Publish.class);
    assertEquals("app:web", broadcast.topic());
    assertEquals(MessagingProtocol.Kind.BROADCAST, broadcast.delivery().kind());
    MessageHub.Publish topic = hub.expectMessageClass(MessageHub.Publish.class);
    assertEquals("cache", topic.topic());
    assertEquals("cache", topic.delivery().topic());
    assertEquals("\"drop\"", topic.delivery().json());
  }

  @Test
  void badInputIsRefusedOnTheCallersThreadAndNothingIsSent() {
    TestProbe<MessageHub.Command> hub = testKit.createTestProbe();
    WorkerMessages messages = withProbes(hub);
    ObjectNode large = JSON.objectNode().put("text", "x".repeat(64));
    MessageRefused tooLarge =
        assertThrows(MessageRefused.class, () -> messages.publish("cache", large));
    assertTrue(
        tooLarge.getMessage().contains("overseer.messaging.max-message-size"),
        tooLarge.getMessage());
    MessageRefused badTopic =
        assertThrows(MessageRefused.class, () -> messages.publish("no spaces", JSON.nullNode()));
    assertTrue(badTopic.getMessage().contains("no spaces"), badTopic.getMessage());
    assertThrows(MessageRefused.class, () -> messages.publish("app:web", JSON.nullNode()));
    assertThrows(MessageRefused.class, () -> messages.broadcast(null));
    assertThrows(MessageRefused.class, () -> messages.send(" ", JSON.nullNode()));
    assertThrows(MessageRefused.class, () -> messages.subscribe("ok", null));
    hub.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aRunTimeSubscriptionReceivesUntilCancelled() throws Exception {
    CompletableFuture<Messages> started = new CompletableFuture<>();
    testKit.spawn(
        Behaviors.setup(
            context -> {
              started.complete(WorkerMessaging.start(context, "web", "web-1", 42));
              return Behaviors.empty();
            }));
    Messages messages = started.get(10, TimeUnit.SECONDS);
    LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Message> witness = new LinkedBlockingQueue<>();
    Subscription subscription = messages.subscribe("prices", received::add);
    messages.subscribe("prices", witness::add);
    // The topic holds its first messages until it knows a subscriber (this node, once registered).
    messages.publish("prices", JSON.numberNode(1));
    messages.publish("prices", JSON.numberNode(2));
    Message first = received.poll(10, TimeUnit.SECONDS);
    Message second = received.poll(10, TimeUnit.SECONDS);
    assertEquals(
        new Message(Message.Kind.TOPIC, "prices", "web-1", "web", 42, JSON.numberNode(1)), first);
    assertEquals(2, second.body().asInt());
    assertEquals(1, witness.poll(10, TimeUnit.SECONDS).body().asInt());
    assertEquals(2, witness.poll(10, TimeUnit.SECONDS).body().asInt());

    subscription.cancel();
    // The other listener keeps the node subscribed: once it has message 3, the cancelled one
    // would have had its copy too.
    messages.publish("prices", JSON.numberNode(3));
    assertEquals(3, witness.poll(10, TimeUnit.SECONDS).body().asInt());
    assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "cancelled: nothing more");
  }
}
