package io.overseer.worker.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The warm-up's request path runs on the worker's real serializers and sends nothing. */
class RequestPathTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    """
                    pekko.actor.serialization-bindings {
                      "io.overseer.protocol.OverseerSerializable" = jackson-cbor
                    }
                    """)
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void drivesComputeAndBffThroughTheSerializersWithoutSendingAReply() throws Exception {
    TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe(WorkerProtocol.Reply.class);
    RequestPath path =
        new RequestPath(
            (ExtendedActorSystem) Adapter.toClassic(testKit.system()),
            replies.ref(),
            "web-0",
            42,
            null);
    WarmUp.Outcome outcome =
        WarmUp.start(new WarmUpSettings(true, 200, Duration.ofMinutes(1)), path.exercises())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertNull(outcome.failure(), () -> String.valueOf(outcome.failure()));
    assertEquals(200, outcome.iterations());
    assertFalse(outcome.cutShort());
    replies.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void theWorkersWarmUpCarriesTheSystemsIgnoringReferenceThroughTheSerializers() throws Exception {
    WarmUp.Outcome outcome =
        RequestPath.warmUp(
                testKit.system(),
                new WarmUpSettings(true, 50, Duration.ofMinutes(1)),
                "web-0",
                42,
                null)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertNull(outcome.failure(), () -> String.valueOf(outcome.failure()));
    assertEquals(50, outcome.iterations());
  }
}
