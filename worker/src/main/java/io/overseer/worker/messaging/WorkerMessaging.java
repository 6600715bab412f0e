package io.overseer.worker.messaging;

import io.overseer.api.messaging.MessageListener;
import io.overseer.api.messaging.ProcessListener;
import io.overseer.api.messaging.TopicListener;
import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import io.overseer.protocol.messaging.MessagingSettings;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a worker's messaging under the actor that calls it: the node's hub, the inbox, the
 * listener lanes, and the listeners found on the class path, subscribed before the worker announces
 * itself ready.
 */
public final class WorkerMessaging {
  private static final Logger log = LoggerFactory.getLogger(WorkerMessaging.class);

  private WorkerMessaging() {}

  /**
   * @param app this worker's app: its {@link ProcessListener}s get the app's broadcasts
   * @param self this worker's process id: its ProcessListeners get what is sent to it
   * @return the sender user code gets
   */
  public static WorkerMessages start(ActorContext<?> context, String app, String self, long pid) {
    MessagingSettings settings = MessagingSettings.create(context.getSystem().settings().config());
    MessageRules rules = new MessageRules(settings);
    // Neither runs user code; should one throw anyway, it skips that message and keeps its state
    // (the topics and their subscriptions), which a restart would lose without a word.
    ActorRef<MessageHub.Command> hub =
        context.spawn(
            Behaviors.supervise(MessageHub.create(settings)).onFailure(SupervisorStrategy.resume()),
            "messages");
    DroppedMessages dropped = new DroppedMessages();
    ActorRef<MessageInbox.Command> inbox =
        context.spawn(
            Behaviors.supervise(MessageInbox.create(hub, self, dropped))
                .onFailure(SupervisorStrategy.resume()),
            "message-inbox");
    ListenerLanes lanes =
        new ListenerLanes(
            settings.listenerThreads(), settings.listenerQueueSize(), settings.dropLogInterval());
    context.getSystem().getWhenTerminated().thenRun(lanes::close);
    WorkerMessages messages = new WorkerMessages(app, self, pid, rules, hub, inbox, lanes, dropped);
    ClassLoader loader = WorkerMessaging.class.getClassLoader();
    for (TopicListener listener : load(TopicListener.class, loader)) {
      List<String> topics;
      try {
        topics = List.copyOf(listener.topics());
      } catch (RuntimeException e) { // null, or user code that throws: this listener only
        log.error("{}.topics() failed; it gets no messages", listener.getClass().getName(), e);
        continue;
      }
      List<String> good = new java.util.ArrayList<>();
      for (String topic : topics) {
        var problem = rules.topicProblem(topic);
        if (problem.isPresent()) {
          log.error(
              "{} names a topic that cannot be one, not subscribed: {} ({})",
              listener.getClass().getName(),
              topic,
              problem.get());
        } else {
          good.add(topic);
        }
      }
      listen(inbox, lanes, messages, listener, good);
      log.info("{} listens to topics {}", listener.getClass().getName(), good);
    }
    for (ProcessListener listener : load(ProcessListener.class, loader)) {
      listen(
          inbox,
          lanes,
          messages,
          listener,
          List.of(MessageRules.processTopic(self), MessageRules.appTopic(app)));
      log.info(
          "{} listens to messages for {} and app {}", listener.getClass().getName(), self, app);
    }
    return messages;
  }

  /** One lane per listener, its start() first on it, then subscribed to every topic. */
  private static void listen(
      ActorRef<MessageInbox.Command> inbox,
      ListenerLanes lanes,
      WorkerMessages messages,
      MessageListener listener,
      List<String> topics) {
    ListenerLanes.Lane<Runnable> lane = lanes.lane(listener.getClass().getName(), Runnable::run);
    lane.offer(() -> listener.start(messages));
    topics.forEach(topic -> inbox.tell(new MessageInbox.Listen(topic, lane, listener)));
  }

  /** The implementations on the class path; one that cannot be made is logged and left out. */
  private static <T> List<T> load(Class<T> type, ClassLoader loader) {
    List<T> found = new java.util.ArrayList<>();
    var iterator = ServiceLoader.load(type, loader).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          return found;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError e) {
        log.error("a {} on the class path cannot be made; it gets no messages", type.getName(), e);
      }
    }
  }
}
