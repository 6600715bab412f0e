package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.e2e.InstalledArchive.Run;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution archive the build produced, as a user gets it: extracted into a directory
 * outside the repository and run through its own {@code bin/overseer}, with no Maven on the PATH (a
 * stand-in {@code mvn} records any call) and nothing of the build tree in any process.
 */
@Timeout(300)
class DistributionIT {
  private static final Path ARCHIVE = InstalledArchive.ARCHIVE;

  /** The repository: three levels above master/target/overseer-master.jar. */
  private static final Path REPOSITORY =
      RunningMaster.MASTER_JAR.toAbsolutePath().getParent().getParent().getParent();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theArchiveExtractedElsewhereStartsServesReportsAndStopsOnItsOwn() throws Exception {
    InstalledArchive archive = InstalledArchive.extract();
    Path temp = archive.temp;
    Path dist = archive.dist;
    assertFalse(temp.startsWith(REPOSITORY), "extracted outside the repository: " + temp);
    Set<Long> pids = new HashSet<>();
    try {
      String top = InstalledArchive.topDirectory();
      Run listing = InstalledArchive.run(temp, List.of("tar", "-tzf", ARCHIVE.toString()));
      assertEquals(0, listing.exitCode(), listing.output());
      assertTrue(
          listing.output().lines().allMatch(entry -> entry.startsWith(top + "/")),
          "one top-level directory, " + top + ":\n" + listing.output());
      assertTrue(Files.isExecutable(dist.resolve("bin/overseer")), "bin/overseer is executable");
      for (String file :
          List.of(
              "lib/overseer-master.jar",
              "lib/overseer-worker.jar",
              "lib/overseer-examples.jar",
              "lib/overseer-api.jar",
              "lib/overseer-api.pom",
              "lib/overseer-examples-app.jar",
              "conf/overseer.conf",
              "conf/templates/product.mustache",
              "conf/transforms/product.jslt",
              "README.md")) {
        assertTrue(Files.isRegularFile(dist.resolve(file)), file + " in the archive");
      }

      // The shipped configuration, on free ports; written beside it, so that its relative paths
      // (templates, transforms) resolve in conf/ as they do for the shipped file itself.
      int httpPort =
          InstalledArchive.onFreePorts(
              dist.resolve("conf"),
              "test.conf",
              "overseer.conf",
              "demo-backend-port = " + RunningMaster.freePort());
      Path fakeBin = archive.fakeBin;
      Path mavenCalled = temp.resolve("mvn-was-called");
      Files.writeString(
          fakeBin.resolve("mvn"), "#!/bin/sh\necho \"$@\" > '" + mavenCalled + "'\nexit 1\n");
      assertTrue(fakeBin.resolve("mvn").toFile().setExecutable(true));

      long masterPid = archive.start(dist.resolve("conf/test.conf"));
      pids.add(masterPid);
      ProcessHandle master = ProcessHandle.of(masterPid).orElseThrow();

      String edge = "http://127.0.0.1:" + httpPort;
      await("two workers ready")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> get(edge + "/ready").body().contains("\"workers\":2"));
      HttpResponse<String> compute = get(edge + "/compute?n=10");
      assertEquals(200, compute.statusCode(), compute.body());
      assertEquals("45", RunningMaster.json(compute).get("sum").asText(), compute.body());
      // Through a worker to the demo backend, run from lib/overseer-examples.jar.
      await("the BFF route through the demo backend")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> get(edge + "/api/products/1").statusCode() == 200);
      HttpResponse<String> product = get(edge + "/api/products/1");
      assertEquals("Product 1", RunningMaster.json(product).get("name").asText(), product.body());
      // A route in Java: user code from lib/overseer-examples-app.jar, on the web app's class-path.
      HttpResponse<String> stock = get(edge + "/api/stock/1");
      assertEquals(200, stock.statusCode(), stock.body());
      assertTrue(RunningMaster.json(stock).has("level"), stock.body());
      HttpResponse<String> unknown = get(edge + "/api/stock/999999");
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals("no such product", RunningMaster.json(unknown).get("error").asText());

      Run status = archive.overseer("status");
      assertEquals(0, status.exitCode(), status.toString());
      for (String id : List.of("web-0", "web-1", "demo-backend-0")) {
        assertTrue(
            status.output().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("online")),
            id + " online in\n" + status.output());
      }

      // Every process of the installed run: the master, its reaper, the workers, the demo.
      List<ProcessHandle> run = new ArrayList<>(List.of(master));
      master.descendants().forEach(run::add);
      run.forEach(p -> pids.add(p.pid()));
      assertTrue(run.size() >= 5, "master, reaper, two workers, demo: " + run.size());
      for (ProcessHandle process : run) {
        String commandLine = process.info().commandLine().orElse("");
        assertFalse(
            commandLine.contains(REPOSITORY.toString()),
            "nothing from the build tree: " + commandLine);
        assertTrue(commandLine.contains(dist.resolve("lib").toString()), commandLine);
      }
      assertTrue(
          master
              .info()
              .commandLine()
              .orElseThrow()
              .contains("-jar " + dist.resolve("lib/overseer-master.jar")),
          master.info().commandLine().orElseThrow());
      assertEquals(dist, Files.readSymbolicLink(Path.of("/proc", Long.toString(masterPid), "cwd")));

      Run stop = archive.overseer("stop");
      assertEquals(0, stop.exitCode(), stop.toString());
      assertEquals("overseer stopped (pid " + masterPid + ")\n", stop.output());
      await("no process of the installed run left")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pids.stream().noneMatch(InstalledArchive::alive));
      assertFalse(Files.exists(mavenCalled), "bin/overseer of an archive never calls mvn");
    } finally {
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      archive.delete();
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
