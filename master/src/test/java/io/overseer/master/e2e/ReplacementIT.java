package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replacing processes on purpose: reload, restart, scale, memory limit and spares. */
@Timeout(300)
class ReplacementIT {
  /** The load of the reload test: at least this many requests, this many at a time. */
  private static final int REQUESTS = 2_000;

  private static final int CONCURRENCY = 16;

  private static Set<Long> workerPids(RunningMaster master) {
    return master.onlineWorkers().stream()
        .map(w -> w.get("pid").asLong())
        .collect(Collectors.toSet());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Deploys a "new build" of the worker jar the way a user should: written beside it, then renamed
   * over it, so running workers keep the file they opened.
   */
  private static void deployWorkerJar(java.nio.file.Path jar, String version) throws Exception {
    java.nio.file.Path next = jar.resolveSibling(jar.getFileName() + ".next");
    try (var in =
        new java.util.jar.JarInputStream(
            java.nio.file.Files.newInputStream(RunningMaster.WORKER_JAR))) {
      java.util.jar.Manifest manifest = in.getManifest();
      manifest
          .getMainAttributes()
          .put(java.util.jar.Attributes.Name.IMPLEMENTATION_VERSION, version);
      try (var out =
          new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(next), manifest)) {
        for (var entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
          out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    java.nio.file.Files.move(
        next,
        jar,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aReloadUnderLoadFailsNoRequestAndLeavesOnlyNewWorkersRunningTheNewJar() throws Exception {
    java.nio.file.Path jar =
        java.nio.file.Files.createTempDirectory("overseer-deploy-").resolve("worker.jar");
    java.nio.file.Files.copy(RunningMaster.WORKER_JAR, jar);
    try (RunningMaster master = RunningMaster.start("overseer.apps.web.jar = \"" + jar + "\"")) {
      Set<Long> before = workerPids(master);
      deployWorkerJar(jar, "9.9.9-reloaded");
      AtomicBoolean reloaded = new AtomicBoolean();
      AtomicInteger ok = new AtomicInteger();
      List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      ExecutorService load = Executors.newFixedThreadPool(CONCURRENCY);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int i = 0; i < CONCURRENCY; i++) {
        load.submit(
            () -> {
              while ((!reloaded.get() || ok.get() + failures.size() < REQUESTS)
                  && System.nanoTime() < deadline) {
                try {
                  HttpResponse<String> response = master.get("/compute?n=1000");
                  if (response.statusCode() == 200) {
                    ok.incrementAndGet();
                  } else {
                    failures.add(response.statusCode() + " " + response.body());
                  }
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
              return null;
            });
      }
      HttpResponse<String> reload = master.admin("POST", "/_admin/apps/web/reload", null);
      reloaded.set(true);
      load.shutdown();
      assertTrue(load.awaitTermination(150, TimeUnit.SECONDS));

      assertEquals(200, reload.statusCode(), reload.body());
      assertTrue(
          RunningMaster.json(reload).get("message").asText().startsWith("reloaded 2"),
          reload.body());
      assertEquals(
          List.of(),
          failures.subList(0, Math.min(10, failures.size())),
          "failed requests during reload");
      assertTrue(ok.get() >= REQUESTS, "requests served: " + ok.get());
      Set<Long> after = workerPids(master);
      assertEquals(2, after.size());
      assertTrue(
          after.stream().noneMatch(before::contains),
          "every worker is new: " + before + " -> " + after);
      before.forEach(pid -> assertFalse(alive(pid), "old worker " + pid + " stopped"));
      for (JsonNode worker : master.onlineWorkers()) {
        assertEquals(
            "9.9.9-reloaded", worker.get("version").asText(), "the reload runs the new jar");
      }
      System.out.printf("reload under load: %d requests, %d failed%n", ok.get(), failures.size());
    }
  }

  @Test
  void scaleUpAndDownRestartAndTheirErrors() throws Exception {
    String tree =
        "overseer.apps.tree { mode = command, command = [\"/bin/sh\", \"-c\","
            + " \"sleep 600 & sleep 600 & wait\"] }";
    try (RunningMaster master = RunningMaster.start(tree)) {
      HttpResponse<String> up =
          master.admin("POST", "/_admin/apps/web/scale", "{\"instances\": 4}");
      assertEquals(200, up.statusCode(), up.body());
      assertEquals(4, master.onlineWorkers().size());
      JsonNode web = appView(master, "web");
      assertEquals(4, web.get("instances").asInt());

      Set<Long> four = workerPids(master);
      HttpResponse<String> down =
          master.admin("POST", "/_admin/apps/web/scale", "{\"instances\": 1}");
      assertEquals(200, down.statusCode(), down.body());
      Set<Long> one = workerPids(master);
      assertEquals(1, one.size());
      four.stream()
          .filter(pid -> !one.contains(pid))
          .forEach(pid -> assertFalse(alive(pid), pid + " stopped"));

      HttpResponse<String> restart = master.admin("POST", "/_admin/apps/web/restart", null);
      assertEquals(200, restart.statusCode(), restart.body());
      assertFalse(
          workerPids(master).contains(one.iterator().next()), "restart starts a new process");

      // A command app with children: scaling it to zero leaves none of its processes behind.
      JsonNode shell =
          master.awaitProcess(
              "tree-0", p -> p.get("state").asText().equals("online"), Duration.ofSeconds(30));
      ProcessHandle sh = ProcessHandle.of(shell.get("pid").asLong()).orElseThrow();
      await("the shell started its children")
          .atMost(Duration.ofSeconds(10))
          .until(() -> sh.children().count() == 2);
      List<ProcessHandle> family =
          java.util.stream.Stream.concat(java.util.stream.Stream.of(sh), sh.children()).toList();
      HttpResponse<String> none =
          master.admin("POST", "/_admin/apps/tree/scale", "{\"instances\": 0}");
      assertEquals(200, none.statusCode(), none.body());
      await("no process of the app remains")
          .atMost(Duration.ofSeconds(15))
          .until(() -> family.stream().noneMatch(ProcessHandle::isAlive));

      assertEquals(404, master.admin("POST", "/_admin/apps/nope/reload", null).statusCode());
      assertEquals(
          "unknown app",
          RunningMaster.json(master.admin("POST", "/_admin/apps/nope/restart", null))
              .get("error")
              .asText());
      for (String bad :
          List.of("{\"instances\": -1}", "{\"instances\": \"two\"}", "not json", "{}")) {
        HttpResponse<String> refused = master.admin("POST", "/_admin/apps/web/scale", bad);
        assertEquals(400, refused.statusCode(), bad + " -> " + refused.body());
      }
      assertEquals(1, master.onlineWorkers().size(), "bad input changed nothing");

      String worker = master.onlineWorkers().get(0).get("id").asText();
      HttpResponse<String> weight =
          master.admin("POST", "/_admin/workers/" + worker + "/weight", "{\"weight\": 3}");
      assertEquals(200, weight.statusCode(), weight.body());
      assertEquals(3, RunningMaster.json(weight).get("weight").asInt());
      assertEquals(
          404,
          master.admin("POST", "/_admin/workers/nobody/weight", "{\"weight\": 3}").statusCode());
      assertEquals(
          400,
          master
              .admin("POST", "/_admin/workers/" + worker + "/weight", "{\"weight\": 0}")
              .statusCode());
    }
  }

  private static JsonNode appView(RunningMaster master, String name) throws Exception {
    HttpResponse<String> apps = master.admin("GET", "/_admin/apps", null);
    for (JsonNode app : RunningMaster.json(apps).get("apps")) {
      if (app.get("name").asText().equals(name)) {
        return app;
      }
    }
    throw new AssertionError("no app " + name + " in " + apps.body());
  }

  @Test
  void aWorkerOverItsMemoryLimitIsReplacedOnlyAfterItsRequestCompleted() throws Exception {
    String leaky =
        """
        overseer.apps.web {
          instances = 1
          jvm-options = ["-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                         "-Doverseer.worker.chaos.retain-per-request=64MiB"]
          memory-kind = heap
          memory-limit = 64MiB
          kill-timeout = 90s
        }
        """;
    try (RunningMaster master = RunningMaster.start(leaky, 1)) {
      long pid = workerPids(master).iterator().next();
      // The request itself pushes the heap over the limit, and runs for seconds after that.
      CompletableFuture<HttpResponse<String>> request = master.getAsync("/compute?n=5000000000");
      JsonNode replaced =
          master.awaitProcess(
              "web-0",
              p -> p.get("pid").asLong() != pid && p.get("state").asText().equals("online"),
              Duration.ofSeconds(90));
      HttpResponse<String> response = request.get(120, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals(
          pid,
          RunningMaster.json(response).get("pid").asLong(),
          "the old worker finished its request");
      await("the old worker is stopped once drained")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !alive(pid));
      assertEquals(0, replaced.get("restarts").asInt(), "a replacement is not a crash");
    }
  }

  @Test
  void aSpareTakesOverAKilledWorkerAtOnce() throws Exception {
    try (RunningMaster master =
        RunningMaster.start("overseer.apps.web { instances = 1, spares = 1 }", 1)) {
      JsonNode spare =
          master.awaitProcess(
              "web-spare-0", p -> p.get("state").asText().equals("spare"), Duration.ofSeconds(90));
      long victim = master.process("web-0").orElseThrow().get("pid").asLong();
      long killedAt = System.nanoTime();
      ProcessHandle.of(victim).orElseThrow().destroyForcibly();
      await("a request is served by the spare")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(
              () ->
                  RunningMaster.json(master.get("/compute?n=1")).get("pid").asLong()
                      == spare.get("pid").asLong());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      System.out.printf("kill -9 to serving again with a spare: %d ms%n", millis);
      master.awaitProcess(
          "web-spare-1", p -> p.get("state").asText().equals("spare"), Duration.ofSeconds(90));
    }
  }
}
