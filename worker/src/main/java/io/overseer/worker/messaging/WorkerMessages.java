package io.overseer.worker.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.messaging.MessageListener;
import io.overseer.api.messaging.MessageRefused;
import io.overseer.api.messaging.Messages;
import io.overseer.api.messaging.Subscription;
import io.overseer.protocol.MessagingProtocol;
import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * User code's {@link Messages} on a worker: checks what it is given on the caller's thread (so a
 * refusal is the caller's exception), then hands the message to the node's {@link MessageHub}. One
 * caller thread's messages reach the hub, and so the topic actors, in the order it sent them.
 */
public final class WorkerMessages implements Messages {
  private final String app;
  private final String self;
  private final long pid;
  private final MessageRules rules;
  private final ActorRef<MessageHub.Command> hub;
  private final ActorRef<MessageInbox.Command> inbox;
  private final ListenerLanes lanes;
  private final DroppedMessages dropped;

  WorkerMessages(
      String app,
      String self,
      long pid,
      MessageRules rules,
      ActorRef<MessageHub.Command> hub,
      ActorRef<MessageInbox.Command> inbox,
      ListenerLanes lanes,
      DroppedMessages dropped) {
    this.app = app;
    this.self = self;
    this.pid = pid;
    this.rules = rules;
    this.hub = hub;
    this.inbox = inbox;
    this.lanes = lanes;
    this.dropped = dropped;
  }

  /**
   * Messages this worker's listeners did not get because their lane was full, since it started, by
   * kind ({@code direct}, {@code broadcast}, {@code topic}): for the master's metrics.
   */
  public java.util.Map<String, Long> droppedByKind() {
    return dropped.byKind();
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public void send(String processId, JsonNode message) {
    if (processId == null || processId.isBlank()) {
      throw new MessageRefused("the process id is empty");
    }
    publish(
        MessageRules.processTopic(processId), MessagingProtocol.Kind.DIRECT, "", encode(message));
  }

  @Override
  public void broadcast(JsonNode message) {
    publish(MessageRules.appTopic(app), MessagingProtocol.Kind.BROADCAST, "", encode(message));
  }

  @Override
  public void publish(String topic, JsonNode message) {
    checkTopic(topic);
    publish(topic, MessagingProtocol.Kind.TOPIC, topic, encode(message));
  }

  @Override
  public Subscription subscribe(String topic, MessageListener listener) {
    checkTopic(topic);
    if (listener == null) {
      throw new MessageRefused("the listener is null");
    }
    ListenerLanes.Lane<Runnable> lane = lanes.lane(listener.getClass().getName(), Runnable::run);
    inbox.tell(new MessageInbox.Listen(topic, lane, listener));
    AtomicBoolean cancelled = new AtomicBoolean();
    return () -> {
      if (cancelled.compareAndSet(false, true)) {
        inbox.tell(new MessageInbox.Unlisten(topic, lane));
      }
    };
  }

  private void publish(String topic, MessagingProtocol.Kind kind, String userTopic, String json) {
    hub.tell(
        new MessageHub.Publish(
            topic, new MessagingProtocol.Delivery(kind, userTopic, app, self, pid, json), null));
  }

  private String encode(JsonNode message) {
    try {
      return rules.encode(message);
    } catch (IllegalArgumentException e) {
      throw new MessageRefused(e.getMessage());
    }
  }

  private void checkTopic(String topic) {
    rules
        .topicProblem(topic)
        .ifPresent(
            problem -> {
              throw new MessageRefused(problem + ": " + topic);
            });
  }
}
