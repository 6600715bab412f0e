package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands against {@link FakeAdminApi}: what each answer becomes, output and exit code.
 */
class AdminClientTest {
  private static final String WORKERS =
      """
      {"workers":[{"id":"web-0","app":"web","host":"h1","mode":"worker","pid":4242,"state":"online",
        "uptimeMillis":125000,"restarts":2,"cpuPercent":1.5,"rssBytes":1048576}]}""";
  private static final String APPS =
      """
      {"apps":[{"name":"web","mode":"worker","instances":2,"spares":0,"state":"online"},
               {"name":"jobs","mode":"command","instances":1,"spares":0,"state":"online"}]}""";

  @TempDir Path temp;
  private FakeAdminApi api;

  @BeforeEach
  void startApi() throws Exception {
    api = new FakeAdminApi(temp.resolve("home"));
  }

  @AfterEach
  void stopApi() {
    api.close();
  }

  @Test
  void statusPrintsTheTable() {
    api.reply("GET", "/_admin/workers", 200, WORKERS);
    CliRun run = CliRun.run(api.env(), "status");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(2, lines.size(), run.toString());
    assertTrue(lines.get(0).startsWith("id "), run.toString());
    assertEquals(
        List.of(
            "web-0", "web", "h1", "worker", "4242", "2m", "2", "online", "1.5%", "1.0", "MiB", "-"),
        List.of(lines.get(1).split("\\s+")));
  }

  @Test
  void statusJsonIsTheApisJsonAsIs() throws Exception {
    api.reply("GET", "/_admin/workers", 200, WORKERS);
    CliRun run = CliRun.run(api.env(), "status", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(WORKERS + "\n", run.out());
    assertEquals(
        4242, new ObjectMapper().readTree(run.out()).get("workers").get(0).get("pid").asInt());
  }

  @Test
  void appsPrintsTheAppsTable() {
    api.reply("GET", "/_admin/apps", 200, APPS);
    CliRun run = CliRun.run(api.env(), "apps");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("jobs  command  1"), run.toString());
  }

  @Test
  void restartOneApp() {
    api.reply("GET", "/_admin/apps", 200, APPS);
    api.reply(
        "POST",
        "/_admin/apps/web/restart",
        200,
        "{\"app\":\"web\",\"result\":\"ok\",\"message\":\"2 instances restarted\"}");
    CliRun run = CliRun.run(api.env(), "restart", "web");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("restarted web: 2 instances restarted\n", run.out());
  }

  @Test
  void reloadWithoutAnAppReloadsEveryAppInTurn() {
    api.reply("GET", "/_admin/apps", 200, APPS)
        .reply("POST", "/_admin/apps/web/reload", 200, "{\"app\":\"web\"}")
        .reply("POST", "/_admin/apps/jobs/reload", 200, "{\"app\":\"jobs\"}");
    CliRun run = CliRun.run(api.env(), "reload", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("{\"app\":\"web\"}\n{\"app\":\"jobs\"}\n", run.out());
    assertEquals(
        List.of(
            "GET /_admin/apps", "POST /_admin/apps/web/reload", "POST /_admin/apps/jobs/reload"),
        api.received.stream().map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void scaleSendsTheInstanceCount() {
    api.reply("POST", "/_admin/apps/web/scale", 200, "{\"app\":\"web\",\"result\":\"ok\"}");
    CliRun run = CliRun.run(api.env(), "scale", "web", "4");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("scaled web to 4 instances\n", run.out());
    assertEquals("{\"instances\":4}", api.received.get(0).body());
  }

  @Test
  void aRefusedTokenExitsFour() throws Exception {
    Files.writeString(api.home.resolve(CliHome.TOKEN_FILE), "someone-elses-token\n");
    CliRun run = CliRun.run(api.env(), "status");
    assertEquals(CliException.TOKEN_REFUSED, run.exitCode(), run.toString());
    assertEquals("the admin token was refused: is OVERSEER_HOME the master's?\n", run.err());
  }

  @Test
  void anUnknownAppExitsFive() {
    api.reply(
        "POST", "/_admin/apps/nope/reload", 404, "{\"error\":\"unknown app\",\"app\":\"nope\"}");
    CliRun run = CliRun.run(api.env(), "reload", "nope");
    assertEquals(CliException.UNKNOWN_APP, run.exitCode(), run.toString());
    assertEquals("unknown app 'nope'\n", run.err());
  }

  @Test
  void restartOfANameThatIsNoAppRestartsTheProcessOfThatId() {
    api.reply("GET", "/_admin/apps", 200, APPS)
        .reply(
            "POST",
            "/_admin/workers/web-0%40h2/restart",
            200,
            "{\"process\":\"web-0@h2\",\"result\":\"ok\",\"message\":\"restarted web-0@h2\"}");
    CliRun run = CliRun.run(api.env(), "restart", "web-0@h2");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals("restarted web-0@h2\n", run.out());
    assertEquals(
        List.of("GET /_admin/apps", "POST /_admin/workers/web-0%40h2/restart"),
        api.received.stream().map(r -> r.method() + " " + r.path()).toList());
  }

  @Test
  void stopAndStartWithAProcessAreThatProcessesNotTheDaemons() {
    api.reply(
            "POST",
            "/_admin/workers/web-1/stop",
            200,
            "{\"process\":\"web-1\",\"result\":\"ok\",\"message\":\"stopped web-1\"}")
        .reply(
            "POST",
            "/_admin/workers/web-1/start",
            200,
            "{\"process\":\"web-1\",\"result\":\"ok\",\"message\":\"started web-1\"}");
    CliRun stop = CliRun.run(api.env(), "stop", "web-1");
    assertEquals(0, stop.exitCode(), stop.toString());
    assertEquals("stopped web-1\n", stop.out());
    CliRun start = CliRun.run(api.env(), "start", "web-1");
    assertEquals(0, start.exitCode(), start.toString());
    assertEquals("started web-1\n", start.out());
    assertTrue(ProcessHandle.current().isAlive(), "the 'master' (this JVM) was not signalled");
  }

  @Test
  void anUnknownProcessExitsFiveWithTheMastersWords() {
    api.reply("GET", "/_admin/apps", 200, APPS)
        .reply(
            "POST",
            "/_admin/workers/web-9/stop",
            404,
            "{\"error\":\"unknown process\",\"process\":\"web-9\","
                + "\"message\":\"unknown process 'web-9'\"}")
        .reply(
            "POST",
            "/_admin/workers/nope/restart",
            404,
            "{\"error\":\"unknown process\",\"process\":\"nope\"}");
    CliRun stop = CliRun.run(api.env(), "stop", "web-9");
    assertEquals(CliException.UNKNOWN_APP, stop.exitCode(), stop.toString());
    assertEquals("unknown process 'web-9'\n", stop.err());
    CliRun restart = CliRun.run(api.env(), "restart", "nope");
    assertEquals(CliException.UNKNOWN_APP, restart.exitCode(), restart.toString());
    assertEquals("unknown app or process 'nope'\n", restart.err());
  }

  @Test
  void otherApiErrorsExitOneWithTheMastersMessage() {
    api.reply(
        "POST", "/_admin/apps/web/scale", 409, "{\"error\":\"a reload of web is in progress\"}");
    CliRun run = CliRun.run(api.env(), "scale", "web", "3");
    assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
    assertEquals(
        "the master answered 409 to POST /_admin/apps/web/scale: a reload of web is in progress\n",
        run.err());

    CliRun missingEndpoint = CliRun.run(api.env(), "apps"); // a master older than the CLI
    assertEquals(CliException.FAILURE, missingEndpoint.exitCode(), missingEndpoint.toString());
    assertTrue(
        missingEndpoint.err().startsWith("the master answered 404 to GET /_admin/apps: not found"));
  }

  @Test
  void aBodyThatIsNotJsonIsQuoted() {
    api.reply("GET", "/_admin/workers", 502, "<html>Bad Gateway</html>");
    CliRun run = CliRun.run(api.env(), "status");
    assertEquals(CliException.FAILURE, run.exitCode(), run.toString());
    assertEquals(
        "the master answered 502 to GET /_admin/workers: '<html>Bad Gateway</html>'\n", run.err());
  }

  @Test
  void aRefusedConnectionMeansNotRunning() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(api.home.resolve(CliHome.URL_FILE), "http://127.0.0.1:" + closedPort + "\n");
    CliRun run = CliRun.run(api.env(), "status");
    assertEquals(CliException.NOT_RUNNING, run.exitCode(), run.toString());
    assertEquals(
        "overseer is not running for OVERSEER_HOME "
            + api.home
            + " (start it with: overseer start)\n",
        run.err());
  }

  @Test
  void anUnknownAppWithoutItsNameInTheBodyIsTheOneAskedFor() throws Exception {
    assertEquals("{}", AdminClient.check("GET /x", 200, "{}", Optional.empty()).body());
    CliException unknown =
        assertThrows(
            CliException.class,
            () ->
                AdminClient.check(
                    "POST /x", 404, "{\"error\":\"unknown app\"}", Optional.of("web")));
    assertEquals("unknown app 'web'", unknown.getMessage());
    assertEquals(CliException.UNKNOWN_APP, unknown.exitCode());
  }
}
