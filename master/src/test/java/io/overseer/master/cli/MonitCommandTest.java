package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overseer monit --once} and {@code overseer dashboard} against {@link FakeAdminApi}. */
class MonitCommandTest {
  private static final String LIVE =
      """
      {"time":"2026-01-01T12:00:00Z","intervalMillis":1000,
       "processes":[
        {"id":"web-0","app":"web","host":"m1","pid":4242,"state":"online","uptimeMillis":125000,
         "restarts":1,"cpuPercent":12.34,"rssBytes":52428800,"inFlight":3,"reqPerSec":41.25,
         "p99Millis":18.6},
        {"id":"web-1@h2","app":"web","host":"h2","pid":null,"state":"launching","uptimeMillis":0,
         "restarts":0,"cpuPercent":-1,"rssBytes":-1,"inFlight":0,"reqPerSec":0.0,"p99Millis":null}],
       "apps":[{"name":"web","instances":2,"state":"degraded"}],"error":null,
       "sample":{"t":1767268800000,"apps":{"web":{"reqPerSec":41.25,"cpuPercent":12.34,"rssBytes":52428800}}}}""";

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
  void monitOncePrintsOneRowPerProcessWithItsLiveFigures() {
    api.reply("GET", "/_admin/live", 200, LIVE);
    CliRun run = CliRun.run(api.env(), "monit", "--once");
    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.out().lines().toList();
    assertEquals(4, lines.size(), run.toString());
    assertEquals("overseer monit  2026-01-01T12:00:00Z", lines.get(0));
    assertEquals(
        List.of(
            "id",
            "app",
            "host",
            "pid",
            "state",
            "uptime",
            "restarts",
            "cpu",
            "memory",
            "req/s",
            "p99",
            "in flight"),
        List.of(lines.get(1).split("\\s{2,}")));
    assertEquals(
        List.of(
            "web-0",
            "web",
            "m1",
            "4242",
            "online",
            "2m",
            "1",
            "12.3%",
            "50.0 MiB",
            "41.3",
            "19 ms",
            "3"),
        List.of(lines.get(2).split("\\s{2,}")));
    assertEquals(
        List.of("web-1@h2", "web", "h2", "-", "launching", "-", "0", "-", "-", "0.0", "-", "0"),
        List.of(lines.get(3).split("\\s{2,}")));
    assertTrue(!run.out().contains("\033["), "no screen clearing with --once");
  }

  @Test
  void monitOnceJsonPrintsTheMastersSnapshot() {
    api.reply("GET", "/_admin/live", 200, LIVE);
    CliRun run = CliRun.run(api.env(), "monit", "--once", "--json");
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(LIVE + "\n", run.out());
  }

  @Test
  void monitShowsWhyThereAreNoFigures() {
    api.reply(
        "GET",
        "/_admin/live",
        200,
        "{\"time\":\"2026-01-01T12:00:00Z\",\"intervalMillis\":1000,\"processes\":[],"
            + "\"apps\":[],\"error\":\"the supervisors did not answer: timeout\",\"sample\":null}");
    CliRun run = CliRun.run(api.env(), "monit", "--once");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(
        run.out().contains("no figures: the supervisors did not answer: timeout"), run.out());
  }

  @Test
  void dashboardPrintsTheLoginUrlOnTheAdminAddress() throws Exception {
    api.reply(
        "POST",
        "/_admin/dashboard/login-codes",
        200,
        "{\"code\":\"abc\",\"path\":\"/_admin/ui/login?code=abc\",\"expiresInSeconds\":60}");
    CliRun run = CliRun.run(api.env(), "dashboard");
    assertEquals(0, run.exitCode(), run.toString());
    String base = java.nio.file.Files.readString(api.home.resolve(CliHome.URL_FILE)).trim();
    List<String> lines = run.out().lines().toList();
    assertEquals(base + "/_admin/ui/login?code=abc", lines.get(0));
    assertTrue(lines.get(1).contains("within 60 s"), run.out());
    assertTrue(!run.out().contains(FakeAdminApi.TOKEN), "the token is never printed");
  }

  @Test
  void monitRedrawsTheTableAtTheMastersPaceUntilInterrupted() throws Exception {
    api.reply(
        "GET",
        "/_admin/live",
        200,
        LIVE.replace("\"intervalMillis\":1000", "\"intervalMillis\":100"));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out =
        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    AdminClient client =
        CliHome.fromEnvironment(
                api.env(), CliSettings.load(new java.util.Properties(), java.util.Optional.empty()))
            .connect();
    java.util.concurrent.atomic.AtomicInteger exit =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    Thread monit =
        new Thread(
            () -> {
              try {
                exit.set(new MonitCommand(client, out, false).run(true, false));
              } catch (CliException e) {
                exit.set(e.exitCode());
              }
            });
    monit.start();
    org.awaitility.Awaitility.await("three redraws")
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> api.received.size() >= 3);
    monit.interrupt(); // what Ctrl-C's end of the JVM stands for here
    monit.join(10_000);
    assertEquals(0, exit.get(), "an interrupted monit ends cleanly");
    String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    int redraws = text.split("\033\\[H\033\\[2J", -1).length - 1;
    assertTrue(redraws >= 3, "the screen is cleared before each table: " + redraws);
    assertTrue(text.contains("web-0"), text);
  }
}
