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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern LOGIN_URL =
      Pattern.compile("(http://\\S+/_admin/ui/login\\?code=\\S+)");
  private static final Pattern CSRF_META =
      Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  private static RunningMaster master;
  private static Map<String, String> env;

  @BeforeAll
  static void startMaster() throws Exception {
    master = RunningMaster.start();
    env = Map.of("OVERSEER_HOME", master.home.toString());
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
    String url = loginUrl();
    HttpResponse<String> login = master.send(browserRequest(url));
    assertEquals(303, login.statusCode(), login.body());
    assertEquals("/_admin/ui", login.headers().firstValue("Location").orElseThrow());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("overseer_session="), setCookie);
    for (String attribute : List.of("HttpOnly", "SameSite=Strict", "Path=/_admin", "Max-Age=")) {
      assertTrue(setCookie.contains(attribute), attribute + " in " + setCookie);
    }
    assertFalse(setCookie.contains(master.token()), setCookie);

    assertRefused(master.send(browserRequest(url)), "login code already used");
    assertRefused(
        master.send(browserRequest(url.replaceAll("code=.*", "code=guessed"))),
        "unknown login code");
    assertRefused(
        master.send(browserRequest(url.replaceAll("\\?code=.*", ""))), "missing login code");
    assertRefused(
        master.send(master.request("/_admin/ui").header("Cookie", "overseer_session=forged")),
        "dashboard session expired or unknown");
  }

  @Test
  void actionsWithoutTheCsrfTokenOrFromAnotherOriginAreRefusedAndChangeNothing() throws Exception {
    int processes = master.workers().size();
    String cookie = session();
    String page = master.send(master.request("/_admin/ui").header("Cookie", cookie)).body();
    Matcher csrf = CSRF_META.matcher(page);
    assertTrue(csrf.find(), page);
    assertFalse(page.contains(master.token()), "the admin token is not in the page");
    String origin = "http://127.0.0.1:" + master.httpPort;
    String scale = "/_admin/ui/api/apps/web/scale";

    HttpResponse<String> noToken = master.send(post(scale, cookie).header("Origin", origin));
    assertEquals(403, noToken.statusCode(), noToken.body());
    assertTrue(noToken.body().contains("X-Overseer-Csrf"), noToken.body());
    HttpResponse<String> otherSite =
        master.send(
            post(scale, cookie)
                .header("X-Overseer-Csrf", csrf.group(1))
                .header("Origin", "http://evil.example"));
    assertEquals(403, otherSite.statusCode(), otherSite.body());
    assertTrue(otherSite.body().contains("cross-origin request refused"), otherSite.body());
    HttpResponse<String> noOrigin =
        master.send(post(scale, cookie).header("X-Overseer-Csrf", csrf.group(1)));
    assertEquals(403, noOrigin.statusCode(), noOrigin.body());
    HttpResponse<String> notAnAction =
        master.send(
            post("/_admin/ui/api/debug/fail/supervisor", cookie)
                .header("X-Overseer-Csrf", csrf.group(1))
                .header("Origin", origin));
    assertEquals(404, notAnAction.statusCode(), "only the page's own actions are passed on");
    assertEquals(processes, master.workers().size(), "nothing was scaled");
  }

  /** One bad input: what is sent, and the status and error text expected back. */
  private record BadInput(String input, HttpRequest.Builder request, int status, String error) {}

  @Test
  void badInputsGetAClearErrorAndChangeNothing() throws Exception {
    int processes = master.workers().size();
    String cookie = session();
    Matcher meta =
        CSRF_META.matcher(
            master.send(master.request("/_admin/ui").header("Cookie", cookie)).body());
    assertTrue(meta.find());
    String csrf = meta.group(1);
    String origin = "http://127.0.0.1:" + master.httpPort;
    String used = loginUrl();
    master.send(browserRequest(used));
    String base = "http://127.0.0.1:" + master.httpPort;
    List<BadInput> inputs =
        List.of(
            new BadInput(
                "login, no code",
                browserRequest(base + "/_admin/ui/login"),
                401,
                "missing login code"),
            new BadInput(
                "login, empty code",
                browserRequest(base + "/_admin/ui/login?code="),
                401,
                "missing login code"),
            new BadInput(
                "login, unknown code",
                browserRequest(base + "/_admin/ui/login?code=x"),
                401,
                "unknown login code"),
            new BadInput(
                "login, code used before", browserRequest(used), 401, "login code already used"),
            new BadInput(
                "login, 2000-char code",
                browserRequest(base + "/_admin/ui/login?code=" + "A".repeat(2000)),
                401,
                "unknown login code"),
            new BadInput(
                "page, no cookie", master.request("/_admin/ui"), 401, "no dashboard session"),
            new BadInput(
                "page, forged cookie",
                master.request("/_admin/ui").header("Cookie", "overseer_session=forged"),
                401,
                "dashboard session expired or unknown"),
            new BadInput(
                "events, no cookie",
                master.request("/_admin/ui/events"),
                401,
                "no dashboard session"),
            new BadInput(
                "scale, no CSRF header",
                post("/_admin/ui/api/apps/web/scale", cookie).header("Origin", origin),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, wrong CSRF header",
                post("/_admin/ui/api/apps/web/scale", cookie)
                    .header("Origin", origin)
                    .header("X-Overseer-Csrf", csrf + "x"),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, session id as CSRF token",
                post("/_admin/ui/api/apps/web/scale", cookie)
                    .header("Origin", origin)
                    .header("X-Overseer-Csrf", cookie.substring(cookie.indexOf('=') + 1)),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, no Origin",
                post("/_admin/ui/api/apps/web/scale", cookie).header("X-Overseer-Csrf", csrf),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin of another site",
                post("/_admin/ui/api/apps/web/scale", cookie)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", "http://evil.example"),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin null",
                post("/_admin/ui/api/apps/web/scale", cookie)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", "null"),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin on another port",
                post("/_admin/ui/api/apps/web/scale", cookie)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", "http://127.0.0.1:1"),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, valid CSRF, no cookie",
                master
                    .request("/_admin/ui/api/apps/web/scale")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": 5}")),
                401,
                "no dashboard session"),
            new BadInput(
                "scale to -1 from the page",
                post("/_admin/ui/api/apps/web/scale", cookie, "{\"instances\": -1}")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                400,
                "invalid parameter"),
            new BadInput(
                "scale, body not JSON",
                post("/_admin/ui/api/apps/web/scale", cookie, "five")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                400,
                "invalid parameter"),
            new BadInput(
                "scale of an unknown app",
                post("/_admin/ui/api/apps/nope/scale", cookie)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                404,
                "unknown app"),
            new BadInput(
                "admin path that is no page action",
                post("/_admin/ui/api/debug/fail/supervisor", cookie)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                404,
                "not found"),
            new BadInput(
                "weight, not a page action",
                post("/_admin/ui/api/workers/web-0/weight", cookie, "{\"weight\": 9}")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                404,
                "not found"),
            new BadInput(
                "logs, no process",
                master
                    .request("/_admin/ui/api/logs")
                    .header("Cookie", cookie)
                    .header("X-Overseer-Csrf", csrf),
                400,
                "invalid parameter"),
            new BadInput(
                "logs, process '../admin.token'",
                master
                    .request("/_admin/ui/api/logs?process=..%2Fadmin.token")
                    .header("Cookie", cookie)
                    .header("X-Overseer-Csrf", csrf),
                400,
                "invalid parameter"),
            new BadInput(
                "logs, no CSRF header",
                master.request("/_admin/ui/api/logs?process=web-0").header("Cookie", cookie),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "unknown page path",
                master.request("/_admin/ui/nope").header("Cookie", cookie),
                404,
                "not found"),
            new BadInput(
                "login code, no token",
                master
                    .request("/_admin/dashboard/login-codes")
                    .POST(HttpRequest.BodyPublishers.noBody()),
                401,
                ""),
            new BadInput("live, no token", master.request("/_admin/live"), 401, ""),
            new BadInput(
                "live, session cookie instead of token",
                master.request("/_admin/live").header("Cookie", cookie),
                401,
                ""));
    StringBuilder table = new StringBuilder("| input | expected | got |\n|---|---|---|\n");
    List<String> wrong = new java.util.ArrayList<>();
    for (BadInput bad : inputs) {
      HttpResponse<String> response = master.send(bad.request());
      String error =
          response.body().isEmpty() ? "" : JSON.readTree(response.body()).path("error").asText();
      table.append(
          "| %s | %d %s | %d %s |\n"
              .formatted(bad.input(), bad.status(), bad.error(), response.statusCode(), error));
      if (response.statusCode() != bad.status() || !error.startsWith(bad.error())) {
        wrong.add(bad.input() + ": " + response.statusCode() + " " + response.body());
      }
    }
    System.out.println("DashboardIT, bad inputs:\n" + table);
    assertEquals(List.of(), wrong);
    assertEquals(processes, master.workers().size(), "nothing was scaled");
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
      browser.get(loginUrl());
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

  /** The URL {@code overseer dashboard} prints. */
  private static String loginUrl() {
    CliRun run = CliRun.run(env, "dashboard");
    assertEquals(0, run.exitCode(), run.toString());
    Matcher url = LOGIN_URL.matcher(run.out());
    assertTrue(url.find(), run.out());
    return url.group(1);
  }

  /** A fresh session's {@code Cookie} header value. */
  private static String session() throws Exception {
    HttpResponse<String> login = master.send(browserRequest(loginUrl()));
    assertEquals(303, login.statusCode(), login.body());
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  private static HttpRequest.Builder browserRequest(String url) {
    return HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10));
  }

  private static HttpRequest.Builder post(String path, String cookie) {
    return post(path, cookie, "{\"instances\": 5}");
  }

  private static HttpRequest.Builder post(String path, String cookie, String body) {
    return master
        .request(path)
        .header("Cookie", cookie)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static void assertRefused(HttpResponse<String> response, String problem)
      throws Exception {
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(
        JSON.readTree(response.body()).get("error").asText().startsWith(problem), response.body());
  }
}
