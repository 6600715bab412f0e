package io.overseer.master.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * serialized address. Fails with the reason if a Pekko upgrade stops function refs from being
 * reachable from another node, or starts delivering to them on the actor's own mailbox thread.
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
  void aReplyFromAnotherNodeReachesTheHandlerOnTheTransportsThreadNotTheActors() throws Exception {
    LinkedBlockingQueue<String> handledOn = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Object> created = new LinkedBlockingQueue<>();
    master =
        ActorSystem.create(
            Behaviors.setup(
                context -> {
                  created.add(Thread.currentThread().getName());
                  created.add(
                      ReplyInbox.create(
                          context,
                          reply ->
                              handledOn.add(
                                  reply.requestId() + " on " + Thread.currentThread().getName())));
                  return Behaviors.empty();
                }),
            ClusterNames.SYSTEM,
            config());
    String actorThread = (String) created.poll(30, TimeUnit.SECONDS);
    @SuppressWarnings("unchecked")
    ActorRef<WorkerProtocol.Reply> inbox =
        (ActorRef<WorkerProtocol.Reply>) created.poll(30, TimeUnit.SECONDS);
    assertNotNull(inbox, "the master's actor did not create its reply inbox");
    String address = ActorRefResolver.get(master).toSerializationFormat(inbox);

    worker = ActorSystem.create(Behaviors.empty(), ClusterNames.SYSTEM, config());
    ActorRef<WorkerProtocol.Reply> remote = ActorRefResolver.get(worker).resolveActorRef(address);
    remote.tell(new WorkerProtocol.Computed(42, 1, "0", "w", 1, 0));

    String handled = handledOn.poll(30, TimeUnit.SECONDS);
    assertNotNull(
        handled,
        "a reply sent from another node to the reply inbox ("
            + address
            + ") never reached"
            + " its handler: has a Pekko upgrade changed how function refs are reached from remote nodes?");
    assertEquals("42", handled.substring(0, handled.indexOf(' ')));
    String thread = handled.substring(handled.indexOf(" on ") + 4);
    // Pekko names a dispatcher's threads <system>-<dispatcher id>-<n>.
    String artery =
        master.settings().config().getString("pekko.remote.artery.advanced.use-dispatcher");
    assertTrue(
        thread.contains(artery),
        "the reply was handled on "
            + thread
            + ", not on Artery's inbound thread ("
            + artery
            + "): function refs may now deliver through a mailbox, and each reply costs a thread hand-off");
    assertNotEquals(actorThread, thread);
  }
}
