package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.cli.CliRun;
import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard end to end: a real master and workers, the CLI's login URL, and a real headless
 * browser (Debian's chromium and chromium-driver; the browser test is skipped with a printed reason
 * where they are missing). One master for the class.
 */
@Timeout(180)
class DashboardIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static RunningMaster master;
  private static Map<String, String> env;
  private static DashboardLogin login;

  @BeforeAll
  static void startMaster() throws Exception {
    master = RunningMaster.start();
    env = Map.of("OVERSEER_HOME", master.home.toString());
    login = new DashboardLogin(master);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void monitOncePrintsEveryProcessOfTheLiveSnapshot() throws Exception {
    List<JsonNode> online = master.onlineWorkers();
    // The snapshot is computed once per tick, so right after the start it may still show a worker
    // that status already lists online as launching: asked again until a tick has caught up.
    await("monit's snapshot shows the online workers")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertMonitShows(online));
  }

  private static void assertMonitShows(List<JsonNode> online) throws Exception {
    CliRun once = CliRun.run(env, "monit", "--once");
    assertEquals(0, once.exitCode(), once.toString());
    List<String> lines = once.out().lines().toList();
    assertTrue(lines.get(0).startsWith("overseer monit  "), once.out());
    assertTrue(
        lines.get(1).matches("id\\s+app\\s+host\\s+pid\\s+state.*req/s\\s+p99\\s+in flight"),
        once.out());
    for (JsonNode worker : online) {
      String row =
          lines.stream()
              .filter(l -> l.startsWith(worker.get("id").asText() + " "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no row for " + worker + " in\n" + once.out()));
      List<String> cells = List.of(row.split("\\s{2,}"));
      assertEquals("web", cells.get(1), row);
      assertEquals(worker.get("pid").asText(), cells.get(3), row);
      assertEquals("online", cells.get(4), row);
    }
    CliRun json = CliRun.run(env, "monit", "--once", "--json");
    assertEquals(0, json.exitCode(), json.toString());
    JsonNode snapshot = JSON.readTree(json.out());
    assertEquals(online.size(), snapshot.get("processes").size(), json.out());
    assertTrue(snapshot.get("sample").get("apps").has("web"), json.out());
  }

  @Test
  void aLoginCodeWorksOnceAndBadCodesAreRefusedWithTheReason() throws Exception {
    assertEquals(401, master.send(master.request("/_admin/ui")).statusCode());
    assertEquals(
        401,
        master
            .send(
                master
                    .request("/_admin/dashboard/login-codes")
                    .POST(HttpRequest.BodyPublishers.noBody()))
            .statusCode(),
        "codes need the admin token");
    String url = login.url();
    HttpResponse<String> loggedIn = master.send(DashboardLogin.request(url));
    assertEquals(303, loggedIn.statusCode(), loggedIn.body());
    assertEquals("/_admin/ui", loggedIn.headers().firstValue("Location").orElseThrow());
    String setCookie = loggedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("overseer_session="), setCookie);
    for (String attribute : List.of("HttpOnly", "SameSite=Strict", "Path=/_admin", "Max-Age=")) {
      assertTrue(setCookie.contains(attribute), attribute + " in " + setCookie);
    }
    assertFalse(setCookie.contains(master.token()), setCookie);

    assertRefused(master.send(DashboardLogin.request(url)), "login code already used");
    assertRefused(
        master.send(DashboardLogin.request(url.replaceAll("code=.*", "code=guessed"))),
        "unknown login code");
    assertRefused(
        master.send(DashboardLogin.request(url.replaceAll("\\?code=.*", ""))),
        "missing login code");
    assertRefused(
        master.send(master.request("/_admin/ui").header("Cookie", "overseer_session=forged")),
        "dashboard session expired or unknown");
  }

  @Test
  void thePageShowsTheProcessesLiveAndItsButtonsAct() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no headless browser here (apt-get install chromium chromium-driver: "
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + ")");
    ChromeDriver browser = browser();
    try {
      browser.get(login.url());
      await("both workers online on the page")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> states(browser).values().stream().filter("online"::equals).count() == 2);
      assertEquals("http://127.0.0.1:" + master.httpPort + "/_admin/ui", browser.getCurrentUrl());

      // Nothing script-readable holds the token, and the session cookie is not script-readable.
      String token = master.token();
      assertFalse(browser.getPageSource().contains(token));
      Object cookies = browser.executeScript("return document.cookie;");
      assertEquals("", cookies, "document.cookie");
      Cookie session = browser.manage().getCookieNamed("overseer_session");
      assertTrue(session.isHttpOnly());
      assertEquals("Strict", session.getSameSite());
      String script =
          (String)
              browser.executeAsyncScript(
                  "const done = arguments[0];"
                      + " fetch('/_admin/ui/dashboard.js').then(r => r.text()).then(done);");
      assertFalse(script.contains(token));

      // A POST from a script without the CSRF header is refused, even with the cookie.
      Object refused =
          browser.executeAsyncScript(
              "const done = arguments[0];"
                  + " fetch('/_admin/ui/api/apps/web/scale', {method: 'POST',"
                  + " headers: {'Content-Type': 'application/json'}, body: '{\"instances\": 5}'})"
                  + ".then(r => done(r.status));");
      assertEquals(403L, refused);

      // A worker killed with SIGKILL: the page shows it relaunching, then online again.
      JsonNode web0 = master.process("web-0").orElseThrow();
      long killed = web0.get("pid").asLong();
      List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("online"));
      ProcessHandle.of(killed).orElseThrow().destroyForcibly();
      await("web-0 relaunched and online on the page")
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                Map<String, String> states = states(browser);
                String state = states.getOrDefault("web-0", "absent");
                if (!state.equals(seen.get(seen.size() - 1))) {
                  seen.add(state); // the states the page went through, in order
                }
                return seen.size() > 1
                    && "online".equals(states.get("web-0"))
                    && !String.valueOf(killed).equals(cell(browser, "web-0", 3));
              });
      assertTrue(
          seen.stream().anyMatch(s -> !s.equals("online")),
          "a state other than online was shown: " + seen);
      assertNotEquals(String.valueOf(killed), cell(browser, "web-0", 3));
      System.out.println("DashboardIT: web-0 on the page after SIGKILL: " + seen);

      // A scale from the page adds a row.
      WebElement count = browser.findElement(By.cssSelector("input[data-scale-app='web']"));
      count.clear();
      int rows = states(browser).size();
      count.sendKeys(String.valueOf(rows + 1));
      browser.findElement(By.cssSelector("button[data-action='scale'][data-app='web']")).click();
      String added = "web-" + rows;
      await("a row more, online")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "online".equals(states(browser).get(added)));
      master.workers(); // the new pid is ended with the others
      assertEquals(rows + 1, states(browser).size());

      // A selected process's last log lines.
      browser.findElement(By.cssSelector("tr[data-key='web-0']")).click();
      await("web-0's log lines")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> browser.findElement(By.id("log-lines")).getText().contains("web-0/"));

      // Traffic: the page's req/s and p99 (the metrics' live rates) move while it flows.
      java.util.concurrent.atomic.AtomicBoolean flowing =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread traffic =
          new Thread(
              () -> {
                while (flowing.get()) {
                  try {
                    master.get("/compute?n=100000");
                  } catch (java.io.IOException e) {
                    return; // the master is gone: the await below fails and says why
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "dashboard-traffic");
      traffic.start();
      try {
        await("req/s and p99 on the page while requests flow")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions() // a row redrawn between two reads: read again
            .until(
                () ->
                    states(browser).keySet().stream()
                        .anyMatch(
                            id ->
                                Double.parseDouble(cell(browser, id, 9)) > 0
                                    && !"-".equals(cell(browser, id, 10))));
      } finally {
        flowing.set(false);
        traffic.join(10_000);
      }

      Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Path target = Path.of("target", "dashboard.png");
      Files.createDirectories(target.getParent());
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      System.out.println("DashboardIT: screenshot at " + target.toAbsolutePath());
    } finally {
      browser.quit();
    }
  }

  /** Process id to the state its row shows. */
  private static Map<String, String> states(ChromeDriver browser) {
    Map<String, String> states = new java.util.TreeMap<>();
    for (WebElement row : browser.findElements(By.cssSelector("#processes tbody tr"))) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      states.put(cells.get(0).getText(), cells.get(4).getText());
    }
    return states;
  }

  private static String cell(ChromeDriver browser, String id, int column) {
    return browser
        .findElement(By.cssSelector("tr[data-key='" + id + "']"))
        .findElements(By.tagName("td"))
        .get(column)
        .getText();
  }

  private static ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void assertRefused(HttpResponse<String> response, String problem)
      throws Exception {
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(
        JSON.readTree(response.body()).get("error").asText().startsWith(problem), response.body());
  }
}
