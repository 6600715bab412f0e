package io.overseer.master.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.overseer.master.logs.LogLine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master's admin API ({@code /_admin}), with every answer that is not a success turned into a
 * {@link CliException} in one place, {@link #check}, so each command reports failures the same way.
 */
final class AdminClient {
  /** How much of a body that is not the expected JSON an error message quotes. */
  private static final int QUOTED_BODY_CHARS = 200;

  private static final int UNAUTHORIZED = 401;
  private static final int NOT_FOUND = 404;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A successful answer.
   *
   * @param body the JSON text as the master sent it, for {@code --json}
   * @param json the same, parsed
   */
  record Answer(String body, JsonNode json) {}

  private final URI base;
  private final String token;

  /** The OVERSEER_HOME the URL and token came from, named when the master does not answer. */
  private final Path home;

  /** Reads (status, apps) and actions (restart, reload, scale) wait for their own times. */
  private final CliSettings settings;

  private final HttpClient http;

  AdminClient(URI base, String token, Path home, CliSettings settings) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.token = token;
    this.home = home;
    this.settings = settings;
    // HTTP/1.1: the JDK client would otherwise try an h2c upgrade the edge has no use for.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .build();
  }

  /** {@code GET /_admin/workers}: {@code {"workers":[...]}}. */
  Answer workers() throws CliException {
    return send(request("/_admin/workers", settings.readTimeout()).GET().build(), Optional.empty());
  }

  /** {@code GET /_admin/apps}: {@code {"apps":[...]}}. */
  Answer apps() throws CliException {
    return send(request("/_admin/apps", settings.readTimeout()).GET().build(), Optional.empty());
  }

  /** {@code GET /_admin/live}: the dashboard's latest snapshot of every process. */
  Answer live() throws CliException {
    return send(request("/_admin/live", settings.readTimeout()).GET().build(), Optional.empty());
  }

  /** {@code POST /_admin/dashboard/login-codes}: a one-time login code and its path. */
  Answer loginCode() throws CliException {
    return postJson("/_admin/dashboard/login-codes", "{}", settings.readTimeout());
  }

  /** The admin API's base URL, e.g. {@code http://127.0.0.1:8080}. */
  URI base() {
    return base;
  }

  /** {@code GET /_admin/schedules}: {@code {"schedules":[...]}}. */
  Answer schedules() throws CliException {
    return send(
        request("/_admin/schedules", settings.readTimeout()).GET().build(), Optional.empty());
  }

  /** {@code POST /_admin/apps/APP/restart} or {@code .../reload}. */
  Answer appAction(String app, String action) throws CliException {
    return post(app, action, "{}");
  }

  /**
   * {@code GET /_admin/logs}: the agents' lines of {@code app} (every app's if empty), the last
   * {@code lines}, or with {@code after} those written since.
   */
  LogsCommand.Fetched logs(Optional<String> app, int lines, String after) throws CliException {
    StringBuilder query = new StringBuilder("/_admin/logs?lines=").append(lines);
    app.ifPresent(a -> query.append("&app=").append(URLEncoder.encode(a, StandardCharsets.UTF_8)));
    if (!after.isEmpty()) {
      query.append("&after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
    }
    JsonNode json =
        send(request(query.toString(), settings.readTimeout()).GET().build(), app).json();
    List<LogLine> got = new ArrayList<>();
    for (JsonNode line : json.path("lines")) {
      got.add(
          new LogLine(
              Instant.parse(line.path("time").asText()),
              line.path("source").asText(),
              line.path("text").asText()));
    }
    List<String> notes = new ArrayList<>();
    json.path("missing")
        .forEach(
            host ->
                notes.add("agent " + host.asText() + " did not answer: its lines are left out"));
    json.path("leftOut")
        .fields()
        .forEachRemaining(
            e ->
                notes.add(
                    e.getValue().asInt()
                        + " line(s) of agent "
                        + e.getKey()
                        + " left out (overseer.logs.remote.max-bytes)"));
    return new LogsCommand.Fetched(got, json.path("after").asText(""), notes);
  }

  /** {@code POST /_admin/workers/PROCESS/restart}, {@code .../stop} or {@code .../start}. */
  Answer processAction(String process, String action) throws CliException {
    String segment = URLEncoder.encode(process, StandardCharsets.UTF_8).replace("+", "%20");
    HttpRequest request =
        request("/_admin/workers/" + segment + "/" + action, settings.actionTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    return send(request, Optional.empty());
  }

  /** {@code POST /_admin/apps/APP/scale} with {@code {"instances": N}}. */
  Answer scale(String app, int instances) throws CliException {
    try {
      return post(app, "scale", JSON.writeValueAsString(Map.of("instances", instances)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of one int is always JSON", e);
    }
  }

  /** {@code GET /_admin/jobs}: {@code {"jobs":[...]}}. */
  Answer jobs() throws CliException {
    return send(request("/_admin/jobs", settings.readTimeout()).GET().build(), Optional.empty());
  }

  /**
   * {@code POST /_admin/jobs/NAME} with the arguments; waits as long as an action (a job's deadline
   * longer than {@code overseer.cli.action-timeout} needs that raised).
   */
  Answer runJob(String job, String argsJson, Optional<String> deadline) throws CliException {
    String query =
        deadline.map(d -> "?deadline=" + URLEncoder.encode(d, StandardCharsets.UTF_8)).orElse("");
    return postJson("/_admin/jobs/" + segment(job) + query, argsJson, settings.actionTimeout());
  }

  /** {@code POST /_admin/topics/TOPIC} with the message: {@code {"topic":..,"subscribers":N}}. */
  Answer publish(String topic, String message) throws CliException {
    return postJson("/_admin/topics/" + segment(topic), message, settings.readTimeout());
  }

  /** {@code POST /_admin/workers/ID/message} with the message. */
  Answer sendMessage(String processId, String message) throws CliException {
    return postJson(
        "/_admin/workers/" + segment(processId) + "/message", message, settings.readTimeout());
  }

  private Answer postJson(String path, String body, Duration timeout) throws CliException {
    HttpRequest request =
        request(path, timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(request, Optional.empty());
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer post(String app, String action, String body) throws CliException {
    String segment = URLEncoder.encode(app, StandardCharsets.UTF_8).replace("+", "%20");
    HttpRequest request =
        request("/_admin/apps/" + segment + "/" + action, settings.actionTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(request, Optional.of(app));
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private Answer send(HttpRequest request, Optional<String> app) throws CliException {
    String what = request.method() + " " + request.uri().getPath();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw CliException.failure(
          "the master did not answer "
              + what
              + " within "
              + request.timeout().map(CliSettings::seconds).orElse("?"));
    } catch (IOException e) {
      if (causedByRefusal(e)) {
        throw CliException.notRunning(home);
      }
      throw CliException.failure("cannot reach the master at " + base + " (" + what + "): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while waiting for " + what);
    }
    return check(what, response.statusCode(), response.body(), app);
  }

  private static boolean causedByRefusal(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** The one place where the master's status codes become exit codes and messages. */
  static Answer check(String what, int status, String body, Optional<String> app)
      throws CliException {
    JsonNode json = parse(body);
    if (status / 100 == 2) {
      if (json == null) {
        throw CliException.failure(
            "the master answered " + what + " with a body that is not JSON: " + quote(body));
      }
      return new Answer(body, json);
    }
    String error =
        json != null && json.hasNonNull("error")
            ? shortened(
                json.get("error").asText()
                    + (json.hasNonNull("problem")
                        ? " ("
                            + json.path("parameter").asText()
                            + ": "
                            + json.get("problem").asText()
                            + ")"
                        : "")
                    + (json.hasNonNull("cause") ? ": " + json.get("cause").asText() : "")
                    + (json.hasNonNull("errors") ? ": " + json.get("errors") : ""))
            : quote(body);
    if (status == UNAUTHORIZED) {
      throw CliException.tokenRefused();
    }
    if (status == NOT_FOUND && error.equals("unknown process")) {
      throw CliException.unknownProcess(
          json.hasNonNull("message")
              ? shortened(json.get("message").asText())
              : "unknown process '" + json.path("process").asText("?") + "'");
    }
    if (status == NOT_FOUND && error.equals("unknown app")) {
      throw CliException.unknownApp(
          json.hasNonNull("app") ? json.get("app").asText() : app.orElse("?"));
    }
    // A master older than this CLI lacks the newer endpoints: say so rather than leave a bare 404.
    String hint =
        status == NOT_FOUND && error.equals("not found")
            ? " (is the master older than this CLI?)"
            : "";
    throw CliException.failure(
        "the master answered " + status + " to " + what + ": " + error + hint);
  }

  private static JsonNode parse(String body) {
    try {
      return body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null; // the caller says the body is not JSON, quoting it
    }
  }

  /** A master's error text as it is, unless it is longer than a message should be. */
  private static String shortened(String text) {
    return text.length() <= QUOTED_BODY_CHARS ? text : text.substring(0, QUOTED_BODY_CHARS) + "…";
  }

  private static String quote(String body) {
    String flat = body.strip().replaceAll("\\s+", " ");
    return flat.length() <= QUOTED_BODY_CHARS
        ? "'" + flat + "'"
        : "'" + flat.substring(0, QUOTED_BODY_CHARS) + "…'";
  }
}
