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
import org.junit.jupiter.params.provider.Arguments;
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

  private static final String SCALE = "/_admin/apps/web/scale";
  private static final String MEGABYTE =
      "{\"instances\": 1, \"pad\": \"" + "x".repeat(1 << 20) + "\"}";

  /**
   * description, method, path, authorization ("TOKEN" for the right one, null for none), body,
   * status.
   */
  static Stream<Arguments> adminCases() {
    return Stream.of(
        Arguments.of("no token", "GET", "/_admin/workers", null, null, 401),
        Arguments.of("wrong token", "GET", "/_admin/workers", "Bearer not-the-token", null, 401),
        Arguments.of(
            "token in the query string", "GET", "/_admin/workers?token=TOKEN", null, null, 401),
        Arguments.of("empty bearer token", "GET", "/_admin/apps", "Bearer ", null, 401),
        Arguments.of("token as Basic credentials", "GET", "/_admin/apps", "Basic TOKEN", null, 401),
        Arguments.of("no token on scale", "POST", SCALE, null, "{\"instances\": 1}", 401),
        Arguments.of("malformed JSON", "POST", SCALE, "TOKEN", "{\"instances\":", 400),
        Arguments.of("empty body", "POST", SCALE, "TOKEN", "", 400),
        Arguments.of("JSON null", "POST", SCALE, "TOKEN", "null", 400),
        Arguments.of("an array", "POST", SCALE, "TOKEN", "[2]", 400),
        Arguments.of("instances -1", "POST", SCALE, "TOKEN", "{\"instances\": -1}", 400),
        Arguments.of("instances 10^9", "POST", SCALE, "TOKEN", "{\"instances\": 1000000000}", 400),
        Arguments.of("instances 100000", "POST", SCALE, "TOKEN", "{\"instances\": 100000}", 400),
        Arguments.of(
            "instances beyond 64 bits",
            "POST",
            SCALE,
            "TOKEN",
            "{\"instances\": 99999999999999999999}",
            400),
        Arguments.of("instances a string", "POST", SCALE, "TOKEN", "{\"instances\": \"3\"}", 400),
        Arguments.of("instances a float", "POST", SCALE, "TOKEN", "{\"instances\": 1.5}", 400),
        Arguments.of(
            "instances in exponent form", "POST", SCALE, "TOKEN", "{\"instances\": 1e2}", 400),
        Arguments.of("missing field", "POST", SCALE, "TOKEN", "{}", 400),
        Arguments.of(
            "extra field", "POST", SCALE, "TOKEN", "{\"instances\": 2, \"force\": true}", 400),
        Arguments.of(
            "duplicate field", "POST", SCALE, "TOKEN", "{\"instances\": 2, \"instances\": 3}", 400),
        Arguments.of("1 MB body", "POST", SCALE, "TOKEN", MEGABYTE, 413),
        Arguments.of(
            "unknown app", "POST", "/_admin/apps/nope/scale", "TOKEN", "{\"instances\": 1}", 404),
        Arguments.of(
            "reload of an unknown app", "POST", "/_admin/apps/nope/reload", "TOKEN", null, 404),
        Arguments.of(
            "unknown worker",
            "POST",
            "/_admin/workers/nope-7/weight",
            "TOKEN",
            "{\"weight\": 2}",
            404),
        Arguments.of(
            "weight 0", "POST", "/_admin/workers/web-0/weight", "TOKEN", "{\"weight\": 0}", 400),
        Arguments.of(
            "weight 2^31",
            "POST",
            "/_admin/workers/web-0/weight",
            "TOKEN",
            "{\"weight\": 2147483648}",
            400),
        Arguments.of(
            "restart of an unknown process",
            "POST",
            "/_admin/workers/nope-7/restart",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "stop of a process of no agent",
            "POST",
            "/_admin/workers/web-0@h9/stop",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "start of an instance scaled away",
            "POST",
            "/_admin/workers/web-9/start",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "stop of a spare's id", "POST", "/_admin/workers/web-spare-0/stop", "TOKEN", null, 400),
        Arguments.of("no token on stop", "POST", "/_admin/workers/web-0/stop", null, null, 401),
        Arguments.of(
            "wrong method on stop", "GET", "/_admin/workers/web-0/stop", "TOKEN", null, 405),
        Arguments.of("logs: lines not a number", "GET", "/_admin/logs?lines=x", "TOKEN", null, 400),
        Arguments.of("logs: lines negative", "GET", "/_admin/logs?lines=-1", "TOKEN", null, 400),
        Arguments.of(
            "logs: lines beyond 32 bits",
            "GET",
            "/_admin/logs?lines=99999999999",
            "TOKEN",
            null,
            400),
        Arguments.of(
            "logs: a cursor that is not HOST:TIME:SEEN",
            "GET",
            "/_admin/logs?after=h2",
            "TOKEN",
            null,
            400),
        Arguments.of("logs: an unknown app", "GET", "/_admin/logs?app=nope", "TOKEN", null, 404),
        Arguments.of("logs: no token", "GET", "/_admin/logs", null, null, 401),
        Arguments.of("wrong method on scale", "GET", SCALE, "TOKEN", null, 405),
        Arguments.of("wrong method on workers", "DELETE", "/_admin/workers", "TOKEN", null, 405),
        Arguments.of("unknown admin path", "GET", "/_admin/nope", "TOKEN", null, 404),
        Arguments.of(
            "fault injection without its test key",
            "POST",
            "/_admin/debug/fail/supervisor",
            "TOKEN",
            null,
            404));
  }

  @ParameterizedTest(name = "admin: {0}")
  @MethodSource("adminCases")
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

  /** description, the config text (PORT, JAR: substituted), what the message must name. */
  static Stream<Arguments> configCases() {
    return Stream.of(
        Arguments.of("unknown key", "overseer.colour = red", "overseer.colour"),
        Arguments.of(
            "misspelt key in an app",
            "overseer.apps.web.instanses = 3",
            "overseer.apps.web.instanses"),
        Arguments.of(
            "misspelt nested key",
            "overseer.apps.web.restart.backof.initial = 1s",
            "overseer.apps.web.restart.backof"),
        Arguments.of(
            "misspelt BFF route key",
            "overseer.bff.routes.r { path = \"/x\", methd = GET }",
            "overseer.bff.routes.r.methd"),
        Arguments.of("wrong type", "overseer.apps.web.instances = three", "instances"),
        Arguments.of("wrong duration", "overseer.http.shutdown-drain = soon", "shutdown-drain"),
        Arguments.of(
            "instances above max-instances", "overseer.apps.web.instances = 100", "max-instances"),
        Arguments.of(
            "missing worker jar",
            "overseer.apps.web.jar = \"no-such-worker.jar\"",
            "no-such-worker.jar"),
        Arguments.of(
            "schedule with a five-field cron",
            "overseer { jobs.j {}, schedules.s { cron = \"0 * * * *\", job = j } }",
            "overseer.schedules.s.cron"),
        Arguments.of(
            "schedule in an unknown zone",
            "overseer { jobs.j {}, schedules.s { cron = \"0 * * * * *\", job = j,"
                + " time-zone = Mars } }",
            "overseer.schedules.s.time-zone"),
        Arguments.of(
            "schedule of an unknown job",
            "overseer.schedules.s { cron = \"0 * * * * *\", job = nope }",
            "overseer.schedules.s.job"),
        Arguments.of(
            "log format neither text nor json",
            "overseer.logging.format = xml",
            "overseer.logging.format"),
        Arguments.of(
            "request id limit below 1",
            "overseer.http.request-id-max-length = 0",
            "overseer.http.request-id-max-length"),
        Arguments.of("taken HTTP port", "TAKEN", "overseer.http.port"),
        Arguments.of("unparsable HOCON", "overseer { apps {", "overseer.conf"),
        Arguments.of("missing config file", "MISSING", "missing.conf"));
  }

  @ParameterizedTest(name = "config: {0}")
  @MethodSource("configCases")
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

  /** description, argv, expected exit code, what the message must contain. */
  static Stream<Arguments> cliCases() {
    return Stream.of(
        Arguments.of("unknown command", new String[] {"frobnicate"}, 2, "unknown command"),
        Arguments.of(
            "scale web -1", new String[] {"scale", "web", "-1"}, 2, "non-negative integer"),
        Arguments.of(
            "scale web abc", new String[] {"scale", "web", "abc"}, 2, "non-negative integer"),
        Arguments.of(
            "scale web 100000", new String[] {"scale", "web", "100000"}, 1, "max-instances"),
        Arguments.of("scale without arguments", new String[] {"scale"}, 2, "usage"),
        Arguments.of("scale without N", new String[] {"scale", "web"}, 2, "usage"),
        Arguments.of(
            "scale of an unknown app", new String[] {"scale", "nope", "1"}, 5, "unknown app"),
        Arguments.of(
            "restart of an unknown app", new String[] {"restart", "nope"}, 5, "unknown app"),
        Arguments.of("logs nope", new String[] {"logs", "nope"}, 5, "unknown app"),
        Arguments.of("logs nope -f", new String[] {"logs", "nope", "-f"}, 5, "unknown app"),
        Arguments.of("logs -n x", new String[] {"logs", "-n", "x"}, 2, "non-negative integer"),
        Arguments.of("unknown option", new String[] {"status", "--bogus"}, 2, "unknown option"));
  }

  @ParameterizedTest(name = "cli: {0}")
  @MethodSource("cliCases")
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
