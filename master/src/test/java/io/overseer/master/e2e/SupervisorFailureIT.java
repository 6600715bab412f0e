package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The supervisor actors themselves supervised, on real jars. Failures are injected through the
 * test-only admin endpoint that exists only with {@code overseer.admin.fault-injection = on}.
 */
@Timeout(240)
class SupervisorFailureIT {
  private static final String FAULTS = "overseer.admin.fault-injection = on\n";

  private static Map<String, Long> pidsById(RunningMaster master) throws Exception {
    return master.onlineWorkers().stream()
        .collect(Collectors.toMap(w -> w.get("id").asText(), w -> w.get("pid").asLong()));
  }

  private static void awaitGone(Set<Long> pids) {
    await("every process the master started has exited")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                pids.stream()
                    .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }

  @Test
  void anAppSupervisorThatThrowsKeepsItsWorkersAndStillReplacesACrashedOne() throws Exception {
    try (RunningMaster master = RunningMaster.start(FAULTS)) {
      Map<String, Long> before = pidsById(master);
      int restartsBefore = master.process("web-0").orElseThrow().get("restarts").asInt();

      HttpResponse<String> injected = master.admin("POST", "/_admin/debug/fail/apps/web", null);
      assertEquals(200, injected.statusCode(), injected.body());
      await("the supervisor restarted")
          .atMost(Duration.ofSeconds(10))
          .until(() -> master.log().contains("supervisor of web restarted after a failure"));

      // Re-adopted, not restarted: the same pids, still online, the same restart counts.
      assertEquals(before, pidsById(master));
      assertEquals(restartsBefore, master.process("web-0").orElseThrow().get("restarts").asInt());
      assertEquals(200, master.get("/compute?n=1000").statusCode());

      // And it still supervises: a worker killed by pid is replaced.
      long victim = before.get("web-0");
      ProcessHandle.of(victim).orElseThrow().destroyForcibly();
      JsonNode replaced =
          master.awaitProcess(
              "web-0",
              w ->
                  w.hasNonNull("pid")
                      && w.get("pid").asLong() != victim
                      && w.get("state").asText().equals("online"),
              Duration.ofSeconds(60));
      assertEquals(restartsBefore + 1, replaced.get("restarts").asInt());
      assertEquals(before.get("web-1"), pidsById(master).get("web-1"));
      assertTrue(master.process.isAlive());
    }
  }

  @Test
  void pastItsRestartLimitTheMasterStopsEveryProcessAndExits70() throws Exception {
    try (RunningMaster master =
        RunningMaster.start(FAULTS + "overseer.supervision.max-restarts = 1\n")) {
      Set<Long> pids = Set.copyOf(pidsById(master).values());
      assertEquals(200, master.admin("POST", "/_admin/debug/fail/apps/web", null).statusCode());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> master.log().contains("supervisor of web restarted after a failure"));
      master.admin("POST", "/_admin/debug/fail/apps/web", null); // the second: over the limit

      assertTrue(
          master.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the master exits");
      assertEquals(70, master.process.exitValue(), master.logTail());
      assertTrue(master.log().contains("supervision failed"), master.logTail());
      awaitGone(pids);
    }
  }

  @Test
  void whenTheProcessSupervisorDiesTheMasterStopsEveryProcessAndExits70() throws Exception {
    try (RunningMaster master = RunningMaster.start(FAULTS)) {
      Set<Long> pids = Set.copyOf(pidsById(master).values());
      master.admin("POST", "/_admin/debug/fail/supervisor", null);

      assertTrue(
          master.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the master exits");
      assertEquals(70, master.process.exitValue(), master.logTail());
      assertTrue(master.log().contains("the process supervisor stopped"), master.logTail());
      awaitGone(pids);
    }
  }

  @Test
  void withoutTheTestKeyTheFaultInjectionEndpointDoesNotExist() throws Exception {
    try (RunningMaster master = RunningMaster.start("", 0)) {
      HttpResponse<String> response = master.admin("POST", "/_admin/debug/fail/supervisor", null);
      assertEquals(404, response.statusCode(), response.body());
      assertTrue(master.process.isAlive());
    }
  }
}
