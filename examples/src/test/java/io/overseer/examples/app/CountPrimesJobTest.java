package io.overseer.examples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.api.jobs.JobContext;
import io.overseer.api.jobs.JobException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The walkthrough's job on its own, with a context of the test's making. */
class CountPrimesJobTest {

  private record Context(JsonNode args, boolean isCancelled) implements JobContext {
    @Override
    public String job() {
      return "count-primes";
    }

    @Override
    public Instant deadline() {
      return Instant.MAX;
    }

    @Override
    public Logger logger() {
      return LoggerFactory.getLogger(CountPrimesJobTest.class);
    }

    @Override
    public long pid() {
      return ProcessHandle.current().pid();
    }

    @Override
    public String trigger() {
      return "admin";
    }

    @Override
    public io.overseer.api.messaging.Messages messages() {
      throw new UnsupportedOperationException("count-primes sends no messages");
    }
  }

  private static JsonNode n(long n) {
    return JsonNodeFactory.instance.objectNode().put("n", n);
  }

  @Test
  void countsThePrimesBelowN() {
    assertEquals(168, new CountPrimesJob().run(new Context(n(1000), false)).get("primes").asInt());
    assertEquals(0, new CountPrimesJob().run(new Context(n(2), false)).get("primes").asInt());
  }

  @Test
  void aCancelledRunStopsAtItsNextCheck() {
    JobException e =
        assertThrows(
            JobException.class, () -> new CountPrimesJob().run(new Context(n(1_000_000), true)));
    assertEquals("cancelled", e.getMessage());
  }

  @Test
  void nBelowTwoFailsWithAClearMessage() {
    JobException e =
        assertThrows(JobException.class, () -> new CountPrimesJob().run(new Context(n(1), false)));
    assertEquals("n must be at least 2, got 1", e.getMessage());
  }
}
