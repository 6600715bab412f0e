package io.overseer.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every wire message survives the trip through the serializer the cluster really uses. */
class ProtocolSerializationTest {
  /**
   * Pekko's identifier of its jackson-cbor serializer (pekko-serialization-jackson reference.conf).
   */
  private static final int JACKSON_CBOR = 33;

  /** The identifiers of its two JSON serializers, jackson-json and jackson-cbor-264. */
  private static final int JACKSON_JSON = 31;

  private static final int JACKSON_CBOR_264 = 32;

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ClusterConfig.load(
              ConfigFactory.parseString("pekko.remote.artery.canonical.port = 0"), "none.conf"));
  private static final SerializationTestKit serialization =
      new SerializationTestKit(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyMessageRoundTripsAsCbor() {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<MasterProtocol.Command> master = testKit.createTestProbe();
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe();
    TestProbe<WorkerProtocol.JobAccepted> accepted = testKit.createTestProbe();
    List<Object> messages =
        List.of(
            new MasterProtocol.Ready(
                "web",
                "w0",
                42,
                worker.ref(),
                List.of("java", "-jar", "w.jar"),
                1_700_000_000_000L,
                "1.0"),
            new MasterProtocol.Pong(
                "web", "w0", 42, 5, 10, 20, 30, 1, 1, MasterProtocol.WorkerFigures.NONE),
            new MasterProtocol.Pong(
                "web",
                "w0",
                42,
                5,
                10,
                20,
                30,
                1,
                0,
                new MasterProtocol.WorkerFigures(
                    1234,
                    List.of(
                        new MasterProtocol.UpstreamFigures(
                            "product", 10, 4, Map.of("timeout", 2L, "bad_status_5xx", 1L), "open")),
                    Map.of("direct", 0L, "broadcast", 0L, "topic", 3L))),
            new WorkerProtocol.RunJob(
                11,
                "req-11",
                "count-primes",
                "http",
                "{\"n\":10}",
                null,
                5_000,
                accepted.ref(),
                replies.ref()),
            new WorkerProtocol.RunJob(
                12,
                "req-12",
                "backup",
                "schedule:nightly@2026-12-01T01:30:00Z",
                "{}",
                new WorkerProtocol.JobCommand(
                    List.of("tar", "czf", "a b.tgz", "data"), "/srv", Map.of("TZ", "UTC")),
                5_000,
                accepted.ref(),
                replies.ref()),
            new WorkerProtocol.JobAccepted(11, "w0", true),
            new WorkerProtocol.JobDone(
                11,
                "count-primes",
                WorkerProtocol.JobStatus.SUCCEEDED,
                "{\"primes\":4}",
                "",
                "w0",
                42,
                1_700_000L),
            new WorkerProtocol.Ping(5, master.ref()),
            new WorkerProtocol.Compute(
                7, "4bf92f3577b34da6a3ce929d0e0e4736", 10_000_000_000L, 120_000, replies.ref()),
            new WorkerProtocol.Cancel(7),
            new WorkerProtocol.Probe(9, replies.ref()),
            new WorkerProtocol.Probed(9),
            new RoutesProtocol.RoutesWanted("ext-1", worker.ref()),
            new ScheduleProtocol.GetSchedules(
                testKit.<ScheduleProtocol.Schedules>createTestProbe().ref()),
            new ScheduleProtocol.Schedules(
                List.of(
                    new ScheduleProtocol.ScheduleView(
                        "nightly",
                        "0 30 2 * * *",
                        "Europe/Paris",
                        "report",
                        "skip",
                        "run-once-late",
                        "2026-01-02T01:30:00Z",
                        "2026-01-01T01:30:00Z",
                        null,
                        null,
                        List.of(
                            new ScheduleProtocol.Run(
                                "2026-01-01T01:30:00Z",
                                "2026-01-01T01:30:00.010Z",
                                "2026-01-01T01:30:02Z",
                                "web-1",
                                "succeeded",
                                null))))),
            new WorkerProtocol.UseBffRoutes(
                "routes { a { path = \"/a\" } }",
                Map.of("templates/page.mustache", "<p>{{x}}</p>")),
            new WorkerProtocol.Registered(master.ref()),
            new WorkerProtocol.Computed(7, 10_000_000_000L, "49999999995000000000", "w0", 42, 3100),
            new WorkerProtocol.ComputeFailed(7, "w0", "deadline exceeded"),
            new WorkerProtocol.Handle(
                8,
                "req-8",
                "product-api",
                Map.of("id", "1"),
                Map.of("lang", List.of("en", "fr")),
                Map.of("accept-language", "en"),
                "",
                2_000,
                replies.ref()),
            new WorkerProtocol.Handled(
                8,
                200,
                "application/json",
                "{\"id\":1}",
                Map.of("cache-control", "no-store"),
                "w0",
                42),
            new MessagingProtocol.Delivery(
                MessagingProtocol.Kind.TOPIC, "cache", "web", "web-1", 42, "{\"drop\":true}"));
    for (Object message : messages) {
      assertEquals(message, serialization.verifySerialization(message, true));
      int serializer =
          SerializationExtension.get(testKit.system()).findSerializerFor(message).identifier();
      assertEquals(JACKSON_CBOR, serializer, message.getClass().getSimpleName() + " must be CBOR");
    }
  }

  /**
   * pekko-serialization-jackson's two JSON serializers are not built (each would build an
   * ObjectMapper at every start): their identifiers belong to a stand-in that refuses both ways,
   * naming the binding and the setting that brings the real one back.
   */
  @Test
  void pekkosJsonSerializersAreStandInsThatRefuseLoudly() {
    var extension = SerializationExtension.get(testKit.system());
    for (int identifier : List.of(JACKSON_JSON, JACKSON_CBOR_264)) {
      Serializer standIn = extension.serializerByIdentity().apply(identifier);
      assertInstanceOf(UnusedJsonSerializer.class, standIn);
      var written = assertThrows(IllegalStateException.class, () -> standIn.toBinary("payload"));
      assertTrue(written.getMessage().contains("java.lang.String is bound to Pekko's jackson-"));
      assertTrue(written.getMessage().contains("pekko.actor.serializers.jackson-"));
      var read = extension.deserialize(new byte[] {'{', '}'}, identifier, "");
      assertTrue(read.isFailure(), "nothing is read as JSON");
      assertInstanceOf(IllegalStateException.class, read.failed().get());
    }
  }
}
