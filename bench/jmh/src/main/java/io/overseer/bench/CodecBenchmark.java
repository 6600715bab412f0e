package io.overseer.bench;

import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import io.overseer.protocol.ClusterNames;
import io.overseer.protocol.WorkerProtocol;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One routed request's encoding and decoding, as Artery does it on each side: the master's
 * {@code Compute} (with the reply address, an actor ref written as its remote path) and the
 * worker's {@code Computed}, through the serializer the protocol is bound to ({@code jackson-cbor})
 * against Pekko's {@code jackson-json}, in one actor system with the cluster provider as in a real
 * JVM of Overseer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CodecBenchmark {
  @Param({"jackson-cbor", "jackson-json"})
  public String format;

  @Param({"compute", "computed"})
  public String message;

  private ActorSystem<Void> system;
  private ExtendedActorSystem classic;
  private Serialization serialization;
  private Serializer serializer;
  private Object sample;
  private String manifest;
  private byte[] encoded;

  @Setup(Level.Trial)
  public void start() {
    var config = ClusterConfig.load(ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0\n"
        + "pekko.loglevel = WARNING\n"
        // Overseer does not build Pekko's JSON serializer (UnusedJsonSerializer): back for the comparison.
        + "pekko.actor.serializers.jackson-json = \"org.apache.pekko.serialization.jackson.JacksonJsonSerializer\"\n"
        // The master ends its JVM when its actor system stops; JMH must end the fork itself.
        + "pekko.coordinated-shutdown.exit-jvm = off"), "overseer-master-defaults.conf");
    system = ActorSystem.create(Behaviors.empty(), ClusterNames.SYSTEM, config);
    classic = (ExtendedActorSystem) Adapter.toClassic(system);
    serialization = SerializationExtension.get(system);
    serializer = serialization.serializerByIdentity().apply(
        config.getInt("pekko.actor.serialization-identifiers." + format));
    ActorRef<WorkerProtocol.Reply> inbox = system.systemActorOf(Behaviors.empty(), "inbox", Props.empty());
    sample = message.equals("compute")
        ? new WorkerProtocol.Compute(123_456_789L, "0123456789abcdef0123456789abcdef", 1, 29_998, inbox)
        : new WorkerProtocol.Computed(123_456_789L, 1, "0", "web-0", 4242, 0);
    manifest = Serializers.manifestFor(serializer, sample);
    encoded = encode();
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    system.terminate();
    // JMH waits for stray non-daemon threads (Pekko's) before it ends the fork: end them first.
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** As Artery's encoder does: an actor ref is written as its full remote path, which needs the system. */
  @Benchmark
  public byte[] encode() {
    return org.apache.pekko.serialization.Serialization$.MODULE$.withTransportInformation(classic, () -> serializer.toBinary(sample));
  }

  @Benchmark
  public Object decode() {
    return org.apache.pekko.serialization.Serialization$.MODULE$.withTransportInformation(classic,
        () -> serialization.deserialize(encoded, serializer.identifier(), manifest).get());
  }
}
