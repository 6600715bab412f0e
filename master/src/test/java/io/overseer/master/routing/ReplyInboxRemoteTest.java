package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's reply crossing JVMs as in production: two actor systems with the master's Pekko
 * configuration (Artery over TCP, CBOR), one holding a {@link ReplyInbox}, the other sending to its
 * serialized address: the reply reaches the router's handler.
 */
class ReplyInboxRemoteTest {
  private ActorSystem<Void> master;
  private ActorSystem<Void> worker;

  private static Config config() {
    return ClusterConfig.load(
        ConfigFactory.parseString(
            """
        pekko.remote.artery.canonical.port = 0
        pekko.loglevel = WARNING
        # The master ends its JVM when its actor system stops; this test JVM must live on.
        pekko.coordinated-shutdown.exit-jvm = off
        """),
        "overseer-master-defaults.conf");
  }

  @AfterEach
  void stop() throws Exception {
    for (ActorSystem<Void> system : new ActorSystem[] {master, worker}) {
      if (system != null) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aReplyFromAnotherNodeReachesTheHandlerOverArtery() throws Exception {
    LinkedBlockingQueue<Long> handled = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<ActorRef<WorkerProtocol.Reply>> created = new LinkedBlockingQueue<>();
    master =
        ActorSystem.create(
            Behaviors.setup(
                context -> {
                  created.add(
                      ReplyInbox.create(
                          context, "replies", reply -> handled.add(reply.requestId())));
                  return Behaviors.empty();
                }),
            ClusterNames.SYSTEM,
            config());
    ActorRef<WorkerProtocol.Reply> inbox = created.poll(30, TimeUnit.SECONDS);
    assertNotNull(inbox, "the master's actor did not create its reply inbox");
    String address = ActorRefResolver.get(master).toSerializationFormat(inbox);

    worker = ActorSystem.create(Behaviors.empty(), ClusterNames.SYSTEM, config());
    ActorRef<WorkerProtocol.Reply> remote = ActorRefResolver.get(worker).resolveActorRef(address);
    remote.tell(new WorkerProtocol.Computed(42, 1, "0", "w", 1, 0));

    assertEquals(
        42L,
        handled.poll(30, TimeUnit.SECONDS),
        "a reply sent from another node to " + address + " must reach the handler");
  }
}
