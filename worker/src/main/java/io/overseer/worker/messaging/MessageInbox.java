package io.overseer.worker.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.api.messaging.Message;
import io.overseer.api.messaging.MessageListener;
import io.overseer.protocol.MessagingProtocol;
import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's subscriber on every topic it listens to: one per node, so Pekko's topic delivers
 * each message once to this process however many listeners it has; it hands a message to each
 * listener's lane and never runs user code itself. The JSON is parsed on the lane's thread, one
 * copy per listener.
 */
public final class MessageInbox extends AbstractBehavior<MessageInbox.Command> {
  private static final Logger log = LoggerFactory.getLogger(MessageInbox.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Local only. */
  public interface Command {}

  /** Start giving {@code topic}'s messages (a hub topic name) to this listener's lane. */
  record Listen(String topic, ListenerLanes.Lane<Runnable> lane, MessageListener listener)
      implements Command {}

  record Unlisten(String topic, ListenerLanes.Lane<Runnable> lane) implements Command {}

  private record Delivered(MessagingProtocol.Delivery delivery) implements Command {}

  private record Entry(ListenerLanes.Lane<Runnable> lane, MessageListener listener) {}

  private final ActorRef<MessageHub.Command> hub;
  private final String self;
  private final ActorRef<MessagingProtocol.Delivery> subscriber;
  private final DroppedMessages dropped;
  private final Map<String, List<Entry>> byTopic = new HashMap<>();

  /**
   * @param self this process's id: a {@link MessagingProtocol.Kind#DIRECT} message was sent to it
   * @param dropped counts what a full lane did not take, by the message's kind
   */
  static Behavior<Command> create(
      ActorRef<MessageHub.Command> hub, String self, DroppedMessages dropped) {
    return Behaviors.setup(context -> new MessageInbox(context, hub, self, dropped));
  }

  private MessageInbox(
      ActorContext<Command> context,
      ActorRef<MessageHub.Command> hub,
      String self,
      DroppedMessages dropped) {
    super(context);
    this.hub = hub;
    this.self = self;
    this.dropped = dropped;
    this.subscriber = context.messageAdapter(MessagingProtocol.Delivery.class, Delivered::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listen.class, this::onListen)
        .onMessage(Unlisten.class, this::onUnlisten)
        .onMessage(Delivered.class, this::onDelivered)
        .build();
  }

  private Behavior<Command> onListen(Listen listen) {
    List<Entry> entries = byTopic.computeIfAbsent(listen.topic(), t -> new ArrayList<>());
    if (entries.isEmpty()) {
      hub.tell(new MessageHub.Subscribe(listen.topic(), subscriber));
    }
    entries.add(new Entry(listen.lane(), listen.listener()));
    return this;
  }

  private Behavior<Command> onUnlisten(Unlisten unlisten) {
    List<Entry> entries = byTopic.get(unlisten.topic());
    if (entries != null
        && entries.removeIf(e -> e.lane() == unlisten.lane())
        && entries.isEmpty()) {
      byTopic.remove(unlisten.topic());
      hub.tell(new MessageHub.Unsubscribe(unlisten.topic(), subscriber));
    }
    return this;
  }

  private Behavior<Command> onDelivered(Delivered delivered) {
    MessagingProtocol.Delivery delivery = delivered.delivery();
    String topic =
        switch (delivery.kind()) {
          case DIRECT -> MessageRules.processTopic(self);
          case BROADCAST -> MessageRules.appTopic(delivery.senderApp());
          case TOPIC -> delivery.topic();
        };
    for (Entry entry : byTopic.getOrDefault(topic, List.of())) {
      if (!entry.lane().offer(() -> entry.listener().onMessage(toMessage(delivery)))) {
        dropped.count(delivery.kind()); // the lane logs it; the master's metrics count it
      }
    }
    return this;
  }

  /** On the lane's thread: each listener parses its own copy. */
  private static Message toMessage(MessagingProtocol.Delivery delivery) {
    try {
      return new Message(
          Message.Kind.valueOf(delivery.kind().name()),
          delivery.topic(),
          delivery.senderId(),
          delivery.senderApp(),
          delivery.senderPid(),
          JSON.readTree(delivery.json()));
    } catch (JsonProcessingException e) {
      // The sender wrote it with Jackson: only a foreign node could send this.
      log.error("a message from {} is not JSON; dropped: {}", delivery.senderId(), e.toString());
      throw new IllegalStateException("not JSON", e);
    }
  }
}
