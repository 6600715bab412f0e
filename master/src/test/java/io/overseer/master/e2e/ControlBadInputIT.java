package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.cli.OverseerCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control plane's battery of bad inputs: the admin API, configuration files and the CLI. Each
 * gets a 4xx or a clear refusal (never a 5xx, never a hang, never a crash), and afterwards the same
 * master and workers still answer, none restarted. The outcome table is written to {@code
 * target/bad-inputs/control.md}.
 */
@Timeout(600)
class ControlBadInputIT {
  /** Longer than any refusal may take: a case that takes this long is a hang. */
  private static final Duration HANG = Duration.ofSeconds(20);

  /** An error answer or message longer than this is not "short". */
  private static final int SHORT = 1000;

  private static final List<String> ROWS = new ArrayList<>();
  private static RunningMaster master;
  private static Map<String, JsonNode> before;

  @BeforeAll
  static void startMaster() throws Exception {
    master = RunningMaster.start("overseer.apps.web.max-instances = 8\n");
    before = byId();
  }

  /**
   * After every case, in whatever order they ran: the same master and workers still answer, none
   * was restarted, and the master still stops on SIGTERM. (A failure here fails the class.)
   */
  @AfterAll
  static void afterTheBatteryTheSameMasterAnswersAndStillStopsOnSigterm() throws Exception {
    try {
      theSameMasterAndWorkersAnswerAndNothingWasRestarted();
      itStillStopsOnSigterm();
    } finally {
      if (master != null) {
        master.close();
      }
      writeTheTable();
    }
  }

  private static void writeTheTable() throws IOException {
    Path table = Path.of("target/bad-inputs/control.md");
    Files.createDirectories(table.getParent());
    Files.writeString(
        table,
        "# Control-plane bad inputs ("
            + ROWS.size()
            + ")\n\n| input | expected | got |\n"
            + "|---|---|---|\n"
            + String.join("\n", ROWS)
            + "\n");
  }

  private static Map<String, JsonNode> byId() throws Exception {
    return master.workers().stream().collect(Collectors.toMap(w -> w.get("id").asText(), w -> w));
  }

  private static void row(String input, String expected, String got) {
    synchronized (ROWS) {
      ROWS.add("| " + cell(input) + " | " + cell(expected) + " | " + cell(got) + " |");
    }
  }

  private static String cell(String text) {
    String flat = text.replace("|", "\\|").replace("\n", " ");
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "…";
  }

  // ---- the admin API -------------------------------------------------------------------------

  @ParameterizedTest(name = "admin: {0}")
  @MethodSource("io.overseer.master.e2e.ControlBadInputCases#admin")
  void theAdminApiRefusesBadInputWithAShortJson4xx(
      String description,
      String method,
      String path,
      String authorization,
      String body,
      int expected)
      throws Exception {
    String token = master.token();
    HttpRequest.Builder request = master.request(path.replace("TOKEN", token)).timeout(HANG);
    if (authorization != null) {
      request.header(
          "Authorization",
          authorization.equals("TOKEN")
              ? "Bearer " + token
              : authorization.replace("TOKEN", token));
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = master.send(request);
    String shown =
        body == null ? "" : body.length() > 60 ? " (" + body.length() + " bytes)" : " " + body;
    row(
        "admin: " + description + " — " + method + " " + path.replace("TOKEN", "<token>") + shown,
        String.valueOf(expected),
        response.statusCode() + " " + response.body());
    assertEquals(expected, response.statusCode(), response.body());
    JsonNode json = RunningMaster.json(response);
    assertTrue(json.hasNonNull("error"), response.body());
    assertTrue(response.body().length() < SHORT, "short: " + response.body().length() + " chars");
  }

  // ---- configuration files -------------------------------------------------------------------

  @ParameterizedTest(name = "config: {0}")
  @MethodSource("io.overseer.master.e2e.ControlBadInputCases#config")
  void aBadConfigurationIsRefusedWithExit78NamingTheKeyAndTheFileAndStartsNothing(
      String description, String extra, String named) throws Exception {
    Path directory = Files.createTempDirectory("overseer-badconf-");
    Path config = directory.resolve("overseer.conf");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int httpPort = extra.equals("TAKEN") ? taken.getLocalPort() : RunningMaster.freePort();
      Files.writeString(
          config,
          """
          overseer {
            http.port = %d
            cluster.port = %d
            apps.web { jar = "%s" }
          }
          %s
          """
              .formatted(
                  httpPort,
                  RunningMaster.freeLowPort(),
                  RunningMaster.WORKER_JAR,
                  extra.equals("TAKEN") || extra.equals("MISSING") ? "" : extra));
      Path given = extra.equals("MISSING") ? directory.resolve("missing.conf") : config;
      ProcessBuilder builder =
          new ProcessBuilder(
              RunningMaster.JAVA,
              "-Xmx128m",
              "-jar",
              RunningMaster.MASTER_JAR.toString(),
              "--config",
              given.toString());
      builder.environment().put("OVERSEER_HOME", directory.resolve("home").toString());
      builder.redirectErrorStream(true);
      builder.redirectOutput(directory.resolve("out.log").toFile());
      Process process = builder.start();
      boolean exited = process.waitFor(HANG.toSeconds() * 3, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(directory.resolve("out.log"));
      String message =
          output.lines().filter(l -> l.startsWith("overseer-master:")).findFirst().orElse(output);
      row(
          "config: " + description + (extra.length() < 60 ? " — " + extra : ""),
          "exit 78, names " + named,
          (exited ? "exit " + process.exitValue() : "hang") + ": " + message);
      assertTrue(exited, "refused without hanging");
      assertEquals(78, process.exitValue(), output);
      assertTrue(message.contains(named), message);
      assertTrue(message.contains(given.getFileName().toString()), "names the file: " + message);
      assertFalse(output.contains("\tat "), "no stack trace: " + output);
      Path logs = directory.resolve("home/logs");
      try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
        assertEquals(List.of(), files.toList(), "no process was started");
      }
    }
  }

  // ---- the CLI -------------------------------------------------------------------------------

  @ParameterizedTest(name = "cli: {0}")
  @MethodSource("io.overseer.master.e2e.ControlBadInputCases#cli")
  void theCliRefusesBadInputWithAShortMessageAndItsExitCode(
      String description, String[] argv, int expected, String named) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                OverseerCli.run(
                    argv,
                    env,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    Integer code = run.completeOnTimeout(null, HANG.toSeconds(), TimeUnit.SECONDS).join();
    String message = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    row(
        "cli: overseer " + String.join(" ", argv),
        "exit " + expected + ", " + named,
        (code == null ? "hang" : "exit " + code) + ": " + message);
    assertEquals(expected, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(message.contains(named), message);
    assertTrue(message.length() < SHORT, "short: " + message.length() + " chars");
  }

  @Test
  void startWithAMissingWorkerJarIsRefusedNamingThePath() throws Exception {
    Path directory = Files.createTempDirectory("overseer-badstart-");
    Path config = directory.resolve("overseer.conf");
    Files.writeString(
        config,
        """
        overseer { http.port = %d, cluster.port = %d, apps.web.jar = "no-such-worker.jar" }
        """
            .formatted(RunningMaster.freePort(), RunningMaster.freeLowPort()));
    Path root = RunningMaster.MASTER_JAR.toAbsolutePath().getParent().getParent().getParent();
    Map<String, String> env =
        Map.of(
            "OVERSEER_HOME",
            directory.resolve("home").toString(),
            "OVERSEER_ROOT",
            root.toString(),
            "OVERSEER_MASTER_JAVA_OPTS",
            "-Xmx128m");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                OverseerCli.run(
                    new String[] {"start", "--config", config.toString()},
                    env,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
    Integer code = run.completeOnTimeout(null, HANG.toSeconds() * 3, TimeUnit.SECONDS).join();
    String errors = err.toString(StandardCharsets.UTF_8);
    String named =
        errors.lines().filter(l -> l.contains("no-such-worker.jar")).findFirst().orElse(errors);
    row(
        "cli: overseer start --config (worker jar missing)",
        "exit 1, names the jar's path",
        (code == null ? "hang" : "exit " + code) + ": " + named);
    assertEquals(1, code, errors);
    assertTrue(errors.contains("exited with code 78"), errors);
    assertTrue(named.contains(directory.resolve("no-such-worker.jar").toString()), errors);
    assertEquals("", out.toString(StandardCharsets.UTF_8), "not 'started'");
  }

  // ---- afterwards ----------------------------------------------------------------------------

  private static void theSameMasterAndWorkersAnswerAndNothingWasRestarted() throws Exception {
    assertTrue(master.process.isAlive(), master.logTail());
    assertEquals(200, master.get("/health").statusCode());
    assertEquals(200, master.get("/compute?n=1000").statusCode());
    Map<String, JsonNode> after = byId();
    assertEquals(before.keySet(), after.keySet());
    for (String id : before.keySet()) {
      assertEquals(before.get(id).get("pid"), after.get(id).get("pid"), id + " kept its process");
      assertEquals(
          before.get(id).get("restarts"), after.get(id).get("restarts"), id + " was not restarted");
      assertEquals("online", after.get(id).get("state").asText());
    }
    assertFalse(master.log().contains("restarted after a failure"), "no supervisor failed");
    row(
        "afterwards: the same master and workers",
        "answer, none restarted",
        "answer, pids "
            + after.values().stream().map(w -> w.get("pid").asText()).toList()
            + " unchanged");
  }

  private static void itStillStopsOnSigterm() throws Exception {
    master.process.destroy();
    boolean exited = master.process.waitFor(60, TimeUnit.SECONDS);
    row(
        "afterwards: SIGTERM",
        "exit 0",
        exited ? "exit " + master.process.exitValue() : "still running");
    assertTrue(exited, "the master stops on SIGTERM");
    assertEquals(0, master.process.exitValue(), master.logTail());
  }
}
