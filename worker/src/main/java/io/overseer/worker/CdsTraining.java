package io.overseer.worker;

import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.MasterProtocol;
import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Run once at build time under {@code -XX:ArchiveClassesAtExit}: starts what a worker starts (an
 * actor system with the cluster, Artery and the CBOR serializer), then exits, so that the JVM
 * writes a class-data-sharing archive of those classes. Workers started with it load them from the
 * archive instead of parsing and verifying them again: seconds off every worker start.
 *
 * <p>The fallback: the master module's build replaces this archive with one trained on a real
 * worker that joins the master and serves requests (io.overseer.master.WorkerTraining), which holds
 * about a thousand more of this jar's classes. This one stays where that could not run, e.g. a
 * build of this module alone ({@code mvn -pl worker}).
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    // The command line a spawned worker gets: picocli's classes go into the archive too.
    WorkerArgs.parse(
        new String[] {"--join", "127.0.0.1:1", "--app", "web", "--id", "web-0", "--watch-stdin"},
        0);
    var config =
        ClusterConfig.load(
            ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0"),
            "overseer-worker-defaults.conf");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterNames.SYSTEM, config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    var serialization = SerializationExtension.get(system);
    Object[] samples = {
      new MasterProtocol.Pong("app", "w", 1, 1, 1, 1, 1, 0, 0, MasterProtocol.WorkerFigures.NONE),
      new WorkerProtocol.Computed(1, 1, "0", "w", 1, 0),
      new WorkerProtocol.Cancel(1)
    };
    for (Object sample : samples) {
      byte[] bytes = serialization.serialize(sample).get();
      serialization.deserialize(bytes, sample.getClass()).get();
    }
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("class-data-sharing training done");
    System.exit(0);
  }
}
