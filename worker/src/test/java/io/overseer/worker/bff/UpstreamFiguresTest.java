package io.overseer.worker.bff;

import static io.overseer.worker.bff.Bff.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.overseer.protocol.MasterProtocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a worker tells the master about its upstreams: calls, cache hits, failures by cause. */
class UpstreamFiguresTest {
  private final UpstreamStub stub = UpstreamStub.start();

  @AfterEach
  void stop() {
    stub.close();
  }

  @Test
  void callsCacheHitsAndFailuresAreCountedPerUpstreamWithABoundedCause() {
    stub.on("/ok", ex -> UpstreamStub.Reply.json("{\"a\":1}"));
    stub.on("/broken", ex -> new UpstreamStub.Reply(503, "{}"));
    try (BffEngine engine =
        Bff.engine(
            """
        routes.r.upstreams {
          good { url = "%1$s/ok", cache-ttl = 1h }
          bad { url = "%1$s/broken", required = false, retries = 0 }
        }
        """
                .formatted(stub.base()))) {
      for (int i = 0; i < 3; i++) {
        call(engine, Bff.request("r", Map.of()));
      }
      List<MasterProtocol.UpstreamFigures> figures = engine.upstreamFigures();
      assertEquals(
          List.of(
              new MasterProtocol.UpstreamFigures(
                  "bad", 3, 0, Map.of("bad_status_5xx", 3L), "closed"),
              new MasterProtocol.UpstreamFigures("good", 3, 2, Map.of(), "closed")),
          figures);
    }
  }

  @Test
  void aHandlersOwnReasonIsCountedAsOther() {
    assertEquals(
        "other",
        UpstreamMeter.cause(new io.overseer.api.bff.UpstreamException("x", "my own words")));
    assertEquals("timeout", UpstreamMeter.cause(UpstreamFailure.timeout("x")));
    assertEquals("bad_status_4xx", UpstreamMeter.cause(UpstreamFailure.badStatus("x", 404)));
    assertEquals("circuit_open", UpstreamMeter.cause(UpstreamFailure.circuitOpen("x")));
  }
}
