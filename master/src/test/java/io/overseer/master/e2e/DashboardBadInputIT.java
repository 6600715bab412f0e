package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard's bad inputs against a real master, without a browser: login codes, session
 * cookies, the CSRF token and Origin of the page's actions, the actions passed on to the admin API
 * and the log lines' process id. Each is answered with a JSON error naming the problem, and none
 * changes anything. Prints the outcome table.
 */
@Timeout(120)
class DashboardBadInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCALE_5 = "{\"instances\": 5}";

  private static RunningMaster master;
  private static DashboardLogin login;

  @BeforeAll
  static void startMaster() throws Exception {
    master = RunningMaster.start("overseer.apps.web.instances = 1", 1);
    login = new DashboardLogin(master);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  /** One bad input: what is sent, and the status and error text expected back. */
  private record BadInput(String input, HttpRequest.Builder request, int status, String error) {}

  @Test
  void badInputsGetAClearErrorAndChangeNothing() throws Exception {
    int processes = master.workers().size();
    String cookie = login.cookie();
    String csrf = login.csrf(cookie);
    String page = master.send(master.request("/_admin/ui").header("Cookie", cookie)).body();
    assertFalse(page.contains(master.token()), "the admin token is not in the page");
    String origin = login.origin();
    String used = login.url();
    master.send(DashboardLogin.request(used));
    String base = "http://127.0.0.1:" + master.httpPort;
    List<BadInput> inputs =
        List.of(
            new BadInput(
                "login, no code",
                DashboardLogin.request(base + "/_admin/ui/login"),
                401,
                "missing login code"),
            new BadInput(
                "login, empty code",
                DashboardLogin.request(base + "/_admin/ui/login?code="),
                401,
                "missing login code"),
            new BadInput(
                "login, unknown code",
                DashboardLogin.request(base + "/_admin/ui/login?code=x"),
                401,
                "unknown login code"),
            new BadInput(
                "login, code used before",
                DashboardLogin.request(used),
                401,
                "login code already used"),
            new BadInput(
                "login, 2000-char code",
                DashboardLogin.request(base + "/_admin/ui/login?code=" + "A".repeat(2000)),
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
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("Origin", origin),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, wrong CSRF header",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("Origin", origin)
                    .header("X-Overseer-Csrf", csrf + "x"),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, session id as CSRF token",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("Origin", origin)
                    .header("X-Overseer-Csrf", cookie.substring(cookie.indexOf('=') + 1)),
                403,
                "missing or wrong X-Overseer-Csrf"),
            new BadInput(
                "scale, no Origin",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("X-Overseer-Csrf", csrf),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin of another site",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", "http://evil.example"),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin null",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", "null"),
                403,
                "cross-origin request refused"),
            new BadInput(
                "scale, Origin on another port",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, SCALE_5)
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
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, "{\"instances\": -1}")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                400,
                "invalid parameter"),
            new BadInput(
                "scale, body not JSON",
                login
                    .post("/_admin/ui/api/apps/web/scale", cookie, "five")
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                400,
                "invalid parameter"),
            new BadInput(
                "scale of an unknown app",
                login
                    .post("/_admin/ui/api/apps/nope/scale", cookie, SCALE_5)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                404,
                "unknown app"),
            new BadInput(
                "admin path that is no page action",
                login
                    .post("/_admin/ui/api/debug/fail/supervisor", cookie, SCALE_5)
                    .header("X-Overseer-Csrf", csrf)
                    .header("Origin", origin),
                404,
                "not found"),
            new BadInput(
                "weight, not a page action",
                login
                    .post("/_admin/ui/api/workers/web-0/weight", cookie, "{\"weight\": 9}")
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
    List<String> wrong = new ArrayList<>();
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
}
