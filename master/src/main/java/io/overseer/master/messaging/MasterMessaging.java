package io.overseer.master.messaging;

import io.overseer.protocol.messaging.MessageHub;
import io.overseer.protocol.messaging.MessageRules;
import io.overseer.protocol.messaging.MessagingSettings;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.http.javadsl.server.Route;

/** Wiring: the master's hub, under the guardian, and the admin routes that publish through it. */
public final class MasterMessaging {
  private MasterMessaging() {}

  /**
   * Spawns the hub (it only publishes here: the master runs no listeners; should it throw, it skips
   * that message and keeps its topics) and answers its admin routes.
   */
  public static Route routes(ActorContext<?> context, Duration askTimeout) {
    MessagingSettings settings = MessagingSettings.create(context.getSystem().settings().config());
    ActorRef<MessageHub.Command> hub =
        context.spawn(
            org.apache.pekko.actor.typed.javadsl.Behaviors.supervise(MessageHub.create(settings))
                .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.resume()),
            "messages");
    return new MessagingRoutes(
            hub,
            new MessageRules(settings),
            askTimeout,
            context.getSystem().scheduler(),
            context.getSystem().executionContext())
        .routes();
  }
}
