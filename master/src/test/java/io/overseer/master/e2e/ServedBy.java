package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Which workers answer the edge's {@code /compute}. A worker that becomes routable beside a settled
 * one gets a small share for {@code overseer.routing.slow-start.window} (10 s), so a fixed number
 * of requests may never reach it: this asks until the wanted ones have answered.
 */
final class ServedBy {
  private ServedBy() {}

  /**
   * The pids that answered, asked until every pid in {@code wanted} has or 30 s (the window with
   * room) have passed; every answer must be a 200. The caller's assertion names what is missing.
   */
  static Set<Long> askUntil(RunningMaster master, Set<Long> wanted) {
    Set<Long> servedBy = new HashSet<>();
    try {
      await("pids " + wanted + " serve")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                HttpResponse<String> response = master.get("/compute?n=10");
                assertEquals(200, response.statusCode(), response.body());
                servedBy.add(RunningMaster.json(response).get("pid").asLong());
                return servedBy.containsAll(wanted);
              });
    } catch (ConditionTimeoutException e) {
      // servedBy shows who answered instead
    }
    return servedBy;
  }
}
