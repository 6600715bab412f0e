package io.overseer.protocol.messaging;

import io.overseer.protocol.MessagingProtocol;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * A node's side of the cluster's pub-sub: one Pekko {@link Topic} actor per topic this node
 * publishes to or subscribes, spawned on first use and kept. Pekko's topic actor delivers each
 * message once to every node whose topic actor has a subscriber (the receptionist tells it which),
 * in the order one publisher published; it drops what is published before it has heard of any
 * subscriber. So a topic new on this node holds its first messages until it knows one ({@code
 * listing-wait} at most): an admin's first publish to a topic is not lost to a node that just
 * started its topic actor.
 */
public final class MessageHub extends AbstractBehavior<MessageHub.Command> {

  /** What the hub accepts (local only: the hub is a node's own actor, never addressed remotely). */
  public interface Command {}

  /**
   * Publish to every subscriber of {@code topic} in the cluster.
   *
   * @param replyTo told how many nodes subscribed when it was sent; null: nobody waits
   */
  public record Publish(
      String topic, MessagingProtocol.Delivery delivery, ActorRef<Published> replyTo)
      implements Command {}

  /** Deliver {@code topic}'s messages to this local actor until {@link Unsubscribe}d or stopped. */
  public record Subscribe(String topic, ActorRef<MessagingProtocol.Delivery> subscriber)
      implements Command {}

  public record Unsubscribe(String topic, ActorRef<MessagingProtocol.Delivery> subscriber)
      implements Command {}

  /**
   * How many nodes subscribe {@code topic}, as this node knows it; answered with Published. It is
   * the set a publish goes to: Pekko's receptionist listing, so a node whose subscriber stopped (or
   * was killed) counts until the node is removed from the cluster, a new subscriber only once its
   * registration has reached this node by gossip, and an unreachable node not at all.
   */
  public record CountSubscribers(String topic, ActorRef<Published> replyTo) implements Command {}

  /**
   * The answer to {@link Publish} and {@link CountSubscribers}.
   *
   * @param subscriberNodes nodes with a subscriber this node knew of (0: the message went nowhere)
   * @param refusal why nothing was published (too many topics), or null
   */
  public record Published(String topic, int subscriberNodes, String refusal) {}

  /** Timer message and key: ask a waiting topic whether it has heard of a subscriber. */
  private record Poll(String topic) implements Command {}

  private record Counted(
      String topic, int subscriberNodes, boolean polling, ActorRef<Published> replyTo)
      implements Command {}

  /** One topic on this node. */
  private static final class TopicState {
    final ActorRef<Topic.Command<MessagingProtocol.Delivery>> actor;
    final long waitUntilNanos;

    /** Publishes held while waiting; null once the topic has heard of a subscriber (or waited). */
    ArrayDeque<Publish> pending = new ArrayDeque<>();

    TopicState(ActorRef<Topic.Command<MessagingProtocol.Delivery>> actor, long waitUntilNanos) {
      this.actor = actor;
      this.waitUntilNanos = waitUntilNanos;
    }
  }

  private final MessagingSettings settings;
  private final TimerScheduler<Command> timers;
  private final Map<String, TopicState> topics = new HashMap<>();

  public static Behavior<Command> create(MessagingSettings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new MessageHub(context, timers, settings)));
  }

  private MessageHub(
      ActorContext<Command> context, TimerScheduler<Command> timers, MessagingSettings settings) {
    super(context);
    this.settings = settings;
    this.timers = timers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(CountSubscribers.class, this::onCountSubscribers)
        .onMessage(Poll.class, this::onPoll)
        .onMessage(Counted.class, this::onCounted)
        .build();
  }

  private Behavior<Command> onPublish(Publish publish) {
    TopicState topic = topic(publish.topic());
    if (topic == null) {
      refuse(publish.topic(), publish.replyTo());
    } else if (topic.pending == null) {
      send(topic, publish);
    } else if (topic.pending.size() < settings.pendingPerTopic()) {
      topic.pending.add(publish);
    } else {
      getContext()
          .getLog()
          .warn(
              "topic {} is still waiting for its subscribers and holds {} messages"
                  + " (overseer.messaging.pending-per-topic): dropped one from {}",
              publish.topic(),
              topic.pending.size(),
              publish.delivery().senderId());
    }
    return this;
  }

  private void send(TopicState topic, Publish publish) {
    topic.actor.tell(Topic.publish(publish.delivery()));
    if (publish.replyTo() != null) {
      count(publish.topic(), topic, false, publish.replyTo());
    }
  }

  private Behavior<Command> onSubscribe(Subscribe subscribe) {
    TopicState topic = topic(subscribe.topic());
    if (topic == null) {
      refuse(subscribe.topic(), null);
    } else {
      topic.actor.tell(Topic.subscribe(subscribe.subscriber()));
    }
    return this;
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
    TopicState topic = topics.get(unsubscribe.topic());
    if (topic != null) {
      topic.actor.tell(Topic.unsubscribe(unsubscribe.subscriber()));
    }
    return this;
  }

  private Behavior<Command> onCountSubscribers(CountSubscribers question) {
    TopicState topic = topic(question.topic());
    if (topic == null) {
      refuse(question.topic(), question.replyTo());
    } else {
      count(question.topic(), topic, false, question.replyTo());
    }
    return this;
  }

  private Behavior<Command> onPoll(Poll poll) {
    TopicState topic = topics.get(poll.topic());
    if (topic != null && topic.pending != null) {
      count(poll.topic(), topic, true, null);
    }
    return this;
  }

  /**
   * A topic's count: answers who asked; a waiting topic with a subscriber (or out of time) flushes.
   */
  private Behavior<Command> onCounted(Counted counted) {
    if (counted.replyTo() != null) {
      counted.replyTo().tell(new Published(counted.topic(), counted.subscriberNodes(), null));
    }
    TopicState topic = topics.get(counted.topic());
    if (counted.polling() && topic != null && topic.pending != null) {
      if (counted.subscriberNodes() > 0 || System.nanoTime() - topic.waitUntilNanos >= 0) {
        timers.cancel(new Poll(counted.topic()));
        ArrayDeque<Publish> held = topic.pending;
        topic.pending = null;
        held.forEach(publish -> send(topic, publish));
      }
    }
    return this;
  }

  /** Asks the topic actor how many nodes subscribe; the answer comes back as {@link Counted}. */
  private void count(String name, TopicState topic, boolean polling, ActorRef<Published> replyTo) {
    getContext()
        .ask(
            Topic.TopicStats.class,
            topic.actor,
            // The topic actor answers from its mailbox, behind what was published before: the
            // count is the one that message was sent to.
            settings.listingWait(),
            Topic::getTopicStats,
            (stats, failure) ->
                new Counted(
                    name, stats == null ? 0 : stats.topicInstanceCount(), polling, replyTo));
  }

  /** The topic's state, started on first use; null when this node knows too many topics. */
  private TopicState topic(String name) {
    TopicState known = topics.get(name);
    if (known != null || topics.size() >= settings.maxTopics()) {
      return known;
    }
    ActorRef<Topic.Command<MessagingProtocol.Delivery>> actor =
        getContext()
            .spawn(
                Topic.create(MessagingProtocol.Delivery.class, name),
                "topic-" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    TopicState state = new TopicState(actor, System.nanoTime() + settings.listingWait().toNanos());
    topics.put(name, state);
    timers.startTimerWithFixedDelay(new Poll(name), settings.listingPollInterval());
    return state;
  }

  private void refuse(String topic, ActorRef<Published> replyTo) {
    String refusal =
        "this node already knows "
            + settings.maxTopics()
            + " topics (overseer.messaging.max-topics); "
            + topic
            + " is refused";
    getContext().getLog().warn(refusal);
    if (replyTo != null) {
      replyTo.tell(new Published(topic, 0, refusal));
    }
  }
}
