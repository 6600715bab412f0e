package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.cli.CliRun;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dashboard session as a browser gets one, without a browser: the URL {@code overseer dashboard}
 * prints, the cookie its login sets, the CSRF token its page carries.
 */
final class DashboardLogin {
  private static final Pattern LOGIN_URL =
      Pattern.compile("(http://\\S+/_admin/ui/login\\?code=\\S+)");
  private static final Pattern CSRF_META =
      Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  private final RunningMaster master;

  DashboardLogin(RunningMaster master) {
    this.master = master;
  }

  /** The URL {@code overseer dashboard} prints, run in-process like bin/overseer would. */
  String url() {
    CliRun run = CliRun.run(Map.of("OVERSEER_HOME", master.home.toString()), "dashboard");
    assertEquals(0, run.exitCode(), run.toString());
    Matcher url = LOGIN_URL.matcher(run.out());
    assertTrue(url.find(), run.out());
    return url.group(1);
  }

  /** A fresh session's {@code Cookie} header value, {@code overseer_session=...}. */
  String cookie() throws Exception {
    HttpResponse<String> login = master.send(request(url()));
    assertEquals(303, login.statusCode(), login.body());
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  /** The CSRF token in the page the session with this cookie is served. */
  String csrf(String cookie) throws Exception {
    String page = master.send(master.request("/_admin/ui").header("Cookie", cookie)).body();
    Matcher meta = CSRF_META.matcher(page);
    assertTrue(meta.find(), page);
    return meta.group(1);
  }

  /** What the page's own origin is, as a browser sends it in {@code Origin}. */
  String origin() {
    return "http://127.0.0.1:" + master.httpPort;
  }

  /** A POST with the session cookie and a JSON body, as the page sends its actions. */
  HttpRequest.Builder post(String path, String cookie, String body) {
    return master
        .request(path)
        .header("Cookie", cookie)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** A GET of a full URL (the login URL), without any cookie. */
  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
  }
}
