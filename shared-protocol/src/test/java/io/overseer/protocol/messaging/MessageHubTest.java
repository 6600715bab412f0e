package io.overseer.protocol.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.protocol.MessagingProtocol;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The hub on one local node: Pekko's topic actors, the wait for subscribers, the topic limit. */
class MessageHubTest {
  /**
   * Shared by every test, and so is its receptionist: each test uses a topic of its own, or it
   * would see the other tests' subscribers.
   */
  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final MessagingSettings SETTINGS =
      new MessagingSettings(
          1024,
          100,
          3,
          Duration.ofMillis(300),
          Duration.ofMillis(10),
          200,
          1,
          10,
          Duration.ofSeconds(1));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static MessagingProtocol.Delivery delivery(int n) {
    return new MessagingProtocol.Delivery(
        MessagingProtocol.Kind.TOPIC, "t", "web", "web-1", 1, Integer.toString(n));
  }

  @Test
  void aSubscriberGetsEveryMessageOnceInTheOrderPublished() {
    ActorRef<MessageHub.Command> hub = testKit.spawn(MessageHub.create(SETTINGS));
    TestProbe<MessagingProtocol.Delivery> subscriber = testKit.createTestProbe();
    TestProbe<MessageHub.Published> published = testKit.createTestProbe();
    hub.tell(
        new MessageHub.Subscribe("aSubscriberGetsEveryMessageOnceInTheOrde", subscriber.ref()));
    for (int i = 0; i < 100; i++) {
      hub.tell(
          new MessageHub.Publish(
              "aSubscriberGetsEveryMessageOnceInTheOrde",
              delivery(i),
              i == 0 ? published.ref() : null));
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(delivery(i), subscriber.receiveMessage(Duration.ofSeconds(5)));
    }
    assertEquals(
        new MessageHub.Published("aSubscriberGetsEveryMessageOnceInTheOrde", 1, null),
        published.receiveMessage());
    subscriber.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aNewTopicsFirstMessagesWaitForASubscriberInsteadOfBeingDropped() {
    ActorRef<MessageHub.Command> hub = testKit.spawn(MessageHub.create(SETTINGS));
    TestProbe<MessagingProtocol.Delivery> subscriber = testKit.createTestProbe();
    hub.tell(new MessageHub.Publish("aNewTopicsFirstMessagesWaitForASubscribe", delivery(1), null));
    hub.tell(
        new MessageHub.Subscribe("aNewTopicsFirstMessagesWaitForASubscribe", subscriber.ref()));
    assertEquals(delivery(1), subscriber.receiveMessage(Duration.ofSeconds(5)));
  }

  @Test
  void aNewTopicHoldsAtMostPendingPerTopicMessagesAndDropsTheRest() {
    ActorRef<MessageHub.Command> hub =
        testKit.spawn(
            MessageHub.create(
                new MessagingSettings(
                    1024,
                    100,
                    3,
                    Duration.ofSeconds(5),
                    Duration.ofMillis(10),
                    5,
                    1,
                    10,
                    Duration.ofSeconds(1))));
    TestProbe<MessagingProtocol.Delivery> subscriber = testKit.createTestProbe();
    for (int i = 0; i < 10; i++) {
      hub.tell(
          new MessageHub.Publish("aNewTopicHoldsAtMostPendingPerTopicMessa", delivery(i), null));
    }
    hub.tell(
        new MessageHub.Subscribe("aNewTopicHoldsAtMostPendingPerTopicMessa", subscriber.ref()));
    for (int i = 0; i < 5; i++) {
      assertEquals(delivery(i), subscriber.receiveMessage(Duration.ofSeconds(5)));
    }
    subscriber.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void withNobodySubscribedThePublisherHearsZeroOnceTheWaitIsOver() {
    ActorRef<MessageHub.Command> hub = testKit.spawn(MessageHub.create(SETTINGS));
    TestProbe<MessageHub.Published> published = testKit.createTestProbe();
    hub.tell(new MessageHub.Publish("nobody", delivery(1), published.ref()));
    assertEquals(
        new MessageHub.Published("nobody", 0, null),
        published.receiveMessage(Duration.ofSeconds(5)));
  }

  @Test
  void anUnsubscribedActorGetsNoMore() {
    ActorRef<MessageHub.Command> hub = testKit.spawn(MessageHub.create(SETTINGS));
    TestProbe<MessagingProtocol.Delivery> gone = testKit.createTestProbe();
    TestProbe<MessagingProtocol.Delivery> stays = testKit.createTestProbe();
    hub.tell(new MessageHub.Subscribe("anUnsubscribedActorGetsNoMore", gone.ref()));
    hub.tell(new MessageHub.Subscribe("anUnsubscribedActorGetsNoMore", stays.ref()));
    hub.tell(new MessageHub.Publish("anUnsubscribedActorGetsNoMore", delivery(1), null));
    assertEquals(delivery(1), gone.receiveMessage(Duration.ofSeconds(5)));
    hub.tell(new MessageHub.Unsubscribe("anUnsubscribedActorGetsNoMore", gone.ref()));
    hub.tell(new MessageHub.Publish("anUnsubscribedActorGetsNoMore", delivery(2), null));
    stays.receiveMessage(Duration.ofSeconds(5));
    assertEquals(delivery(2), stays.receiveMessage(Duration.ofSeconds(5)));
    gone.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void oneTopicMoreThanMaxTopicsIsRefusedNamingTheKey() {
    ActorRef<MessageHub.Command> hub = testKit.spawn(MessageHub.create(SETTINGS));
    TestProbe<MessageHub.Published> answers = testKit.createTestProbe();
    for (String topic : new String[] {"a", "b", "c"}) {
      hub.tell(new MessageHub.CountSubscribers(topic, answers.ref()));
      assertEquals(null, answers.receiveMessage(Duration.ofSeconds(5)).refusal());
    }
    hub.tell(new MessageHub.Publish("d", delivery(1), answers.ref()));
    MessageHub.Published refused = answers.receiveMessage(Duration.ofSeconds(5));
    assertTrue(refused.refusal().contains("overseer.messaging.max-topics"), refused.refusal());
    hub.tell(new MessageHub.Publish("a", delivery(1), answers.ref()));
    assertEquals(null, answers.receiveMessage(Duration.ofSeconds(5)).refusal(), "known: fine");
  }
}
