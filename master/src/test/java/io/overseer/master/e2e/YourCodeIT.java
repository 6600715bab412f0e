package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.e2e.InstalledArchive.Run;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Your code", followed as a newcomer would, from the README itself: every file it shows
 * is written into an empty directory, its build commands run through bash against the extracted
 * archive (as {@code $OVERSEER}), and what it says the routes answer is checked. The one departure:
 * the foreground {@code overseer run} of the walkthrough becomes {@code overseer start} of a file
 * that includes the walkthrough's configuration and moves it to free ports. Then the handler, the
 * job (its route and the CLI), the schedule (a run that succeeded) and the broadcast (both workers'
 * logs) answer as the README says.
 */
@Timeout(300)
class YourCodeIT {
  private static final Path README =
      RunningMaster.MASTER_JAR
          .toAbsolutePath()
          .getParent()
          .getParent()
          .getParent()
          .resolve("README.md");

  /** A line naming a file, e.g. "A route in Java, `src/com/example/HelloHandler.java`:". */
  private static final Pattern NAMED_FILE = Pattern.compile(".*`([^`\\s]+)`[^`]*:$");

  private static final String BUILD_MARKER = "<!-- walkthrough:build -->";
  private static final String RUN_LINE = "$OVERSEER/bin/overseer run --config my-app.conf";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The section's files (path → content) and its build script, in order. */
  record Walkthrough(Map<String, String> files, List<String> build) {}

  @Test
  void theWalkthroughBuildsAJarOfYourOwnThatTheWorkersRun() throws Exception {
    Walkthrough walkthrough = read(Files.readString(README));
    assertTrue(walkthrough.files().containsKey("my-app.conf"), "" + walkthrough.files().keySet());
    assertTrue(walkthrough.build().contains(RUN_LINE), "the build ends in: " + RUN_LINE);

    InstalledArchive archive = InstalledArchive.extract();
    Set<Long> pids = new HashSet<>();
    try {
      Path app = Files.createDirectories(archive.temp.resolve("my-app"));
      for (Map.Entry<String, String> file : walkthrough.files().entrySet()) {
        Path target = app.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
      List<String> script = new ArrayList<>(walkthrough.build());
      script.remove(RUN_LINE);
      Map<String, String> env = archive.environment(Map.of("OVERSEER", archive.dist.toString()));
      Run build =
          InstalledArchive.run(
              app, List.of("bash", "-euo", "pipefail", "-c", String.join("\n", script)), env);
      assertEquals(0, build.exitCode(), "the build commands:\n" + build.output());
      assertTrue(Files.isRegularFile(app.resolve("my-app.jar")), "my-app.jar built");

      int httpPort = InstalledArchive.onFreePorts(app, "test.conf", "my-app.conf", "");
      long masterPid = archive.start(app.resolve("test.conf"));
      pids.add(masterPid);

      String edge = "http://127.0.0.1:" + httpPort;
      await("two workers ready")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> get(edge + "/ready").body().contains("\"workers\":2"));
      ProcessHandle.of(masterPid).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));

      HttpResponse<String> hello = get(edge + "/hello/ada");
      assertEquals(200, hello.statusCode(), hello.body());
      assertEquals("Hello, ada", RunningMaster.json(hello).get("message").asText());
      HttpResponse<String> refused = get(edge + "/hello/ADA");
      assertEquals(400, refused.statusCode(), refused.body());
      JsonNode error = RunningMaster.json(refused).path("errors").path(0);
      assertEquals("/name", error.path("field").asText(), refused.body());

      // The job through its route, then through the CLI: the same work, a different trigger.
      long sum = 0;
      for (long i = 1; i <= 20_000_000; i++) {
        sum += i % 7;
      }
      HttpResponse<String> report = post(edge + "/report", "{}");
      assertEquals(200, report.statusCode(), report.body());
      JsonNode result = RunningMaster.json(report).path("result");
      assertEquals(sum, result.path("sum").asLong(), report.body());
      assertEquals("http", result.path("trigger").asText(), report.body());
      Run cli = archive.overseer("job", "run", "report");
      assertEquals(0, cli.exitCode(), cli.output());
      assertTrue(cli.output().contains(Long.toString(sum)), cli.output());

      // The schedule runs it on one worker; the broadcast reaches both, as their logs say.
      await("a scheduled run that succeeded")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  archive
                      .overseer("schedules")
                      .output()
                      .lines()
                      .anyMatch(l -> l.startsWith("report-every-5s ") && l.contains("succeeded")));
      await("both workers logged a scheduled run's broadcast")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                List<String> lines =
                    archive.overseer("logs", "web", "-n", "500").output().lines().toList();
                return List.of("web-0", "web-1").stream()
                    .allMatch(
                        id ->
                            lines.stream()
                                .anyMatch(
                                    l ->
                                        l.contains(id)
                                            && l.contains("report from")
                                            && l.contains("schedule:report-every-5s@")));
              });

      Run stop = archive.overseer("stop");
      assertEquals(0, stop.exitCode(), stop.toString());
      await("no process of the walkthrough left")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pids.stream().noneMatch(InstalledArchive::alive));
    } finally {
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      archive.delete();
    }
  }

  /**
   * The examples module is the walkthrough's code: each Java file the README shows is in
   * io.overseer.examples.app as it is shown, the package aside, and listed in its services file.
   */
  @Test
  void theExamplesModuleHoldsTheWalkthroughsCodeAsTheReadmeShowsIt() throws Exception {
    Path repository = README.getParent();
    Path examples = repository.resolve("examples/src/main/java/io/overseer/examples/app");
    Path services = repository.resolve("examples/src/main/resources/META-INF/services");
    Map<String, String> files = read(Files.readString(README)).files();
    int java = 0;
    for (Map.Entry<String, String> file : files.entrySet()) {
      if (!file.getKey().endsWith(".java")) {
        continue;
      }
      java++;
      String name = Path.of(file.getKey()).getFileName().toString();
      String example =
          Files.readString(examples.resolve(name))
              .replace("package io.overseer.examples.app;", "package com.example;")
              .replaceAll("(?m)^/\\*\\* The README's .*\\*/\n", "");
      assertEquals(file.getValue(), example, name + " in examples/ is not the README's");
      String type = "io.overseer.examples.app." + name.replace(".java", "");
      String service =
          file.getKey().equals("src/com/example/HelloHandler.java")
              ? "bff.BffHandler"
              : file.getKey().contains("Job") ? "jobs.Job" : "messaging.ProcessListener";
      assertTrue(
          Files.readString(services.resolve("io.overseer.api." + service))
              .lines()
              .anyMatch(type::equals),
          type + " listed in " + service);
    }
    assertEquals(3, java, "the walkthrough's Java files: " + files.keySet());
  }

  /** The "## Your code" section's named files and the build block after the marker. */
  static Walkthrough read(String readme) {
    int start = readme.indexOf("\n## Your code\n");
    assertFalse(start < 0, "README has a \"Your code\" section");
    int end = readme.indexOf("\n## ", start + 1);
    List<String> lines = readme.substring(start, end < 0 ? readme.length() : end).lines().toList();
    Map<String, String> files = new LinkedHashMap<>();
    List<String> build = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean fenceNext = i + 2 < lines.size() && lines.get(i + 2).startsWith("```");
      Matcher named = NAMED_FILE.matcher(line);
      if (named.matches() && fenceNext && !lines.get(i + 2).equals("```sh")) {
        i += 3;
        StringBuilder content = new StringBuilder();
        for (; !lines.get(i).equals("```"); i++) {
          content.append(lines.get(i)).append('\n');
        }
        files.put(named.group(1), content.toString());
      } else if (line.equals(BUILD_MARKER)) {
        // A shell line ending in a backslash continues on the next, as bash reads it.
        for (i += 2; !lines.get(i).equals("```"); i++) {
          build.add(lines.get(i));
        }
      }
    }
    return new Walkthrough(files, build);
  }

  private HttpResponse<String> post(String url, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
