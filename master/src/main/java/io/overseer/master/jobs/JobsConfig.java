package io.overseer.master.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.overseer.master.bff.RequestSchemas;
import io.overseer.master.routing.RouteSettings;
import io.overseer.master.routing.StrategyKind;
import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code overseer.jobs} (each block over {@code overseer.job-defaults}), refusing at start
 * what could only fail later: an app that is not a worker app, a schema that is not a schema, an
 * empty command element, a route path that is not absolute or that two jobs share.
 */
public final class JobsConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROUTE_METHODS = Set.of("GET", "POST", "PUT");

  /** Paths the edge answers itself: a job route there would never be reached, or would shadow. */
  private static final List<String> RESERVED = List.of("/_admin", "/_schema", "/health", "/ready");

  private JobsConfig() {}

  /**
   * @param overseer the {@code overseer} section
   * @param defaultApp {@code overseer.compute.app}, the app of a job that names none
   * @param workerApps the names of worker apps
   */
  public static List<JobDefinition> parse(
      Config overseer, String defaultApp, Set<String> workerApps) {
    Config defaults = overseer.getConfig("job-defaults");
    List<JobDefinition> jobs = new ArrayList<>();
    Map<String, String> routes = new HashMap<>();
    // By name: HOCON keeps no order of keys, and the list (/_admin/jobs, overseer jobs) needs one.
    for (String name : new java.util.TreeSet<>(overseer.getObject("jobs").keySet())) {
      String key = "overseer.jobs." + name;
      Config c = overseer.getConfig("jobs").getConfig("\"" + name + "\"").withFallback(defaults);
      String app = c.getString("app").isEmpty() ? defaultApp : c.getString("app");
      if (!workerApps.contains(app)) {
        throw new IllegalArgumentException(
            key + ".app = '" + app + "' must name a worker app, one of " + workerApps);
      }
      List<String> argv = c.getStringList("command");
      if (argv.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException(key + ".command: an empty element (\"\") in " + argv);
      }
      WorkerProtocol.JobCommand command =
          argv.isEmpty()
              ? null
              : new WorkerProtocol.JobCommand(
                  List.copyOf(argv), c.getString("cwd"), env(c.getConfig("env")));
      if (command == null && !c.getString("cwd").isEmpty()) {
        throw new IllegalArgumentException(key + ".cwd is for a command job (command = [...])");
      }
      String implementation =
          c.getString("implementation").isEmpty() ? name : c.getString("implementation");
      var deadline = c.getDuration("deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException(key + ".deadline must be positive, got " + deadline);
      }
      RouteSettings routing =
          new RouteSettings(
              "job " + name, StrategyKind.parse(c.getString("strategy")).create(), false, deadline);
      jobs.add(
          new JobDefinition(
              name,
              app,
              implementation,
              command,
              deadline,
              RequestSchemas.of(name, Optional.empty(), Optional.empty(), schema(c, key)),
              c.hasPath("retryable-if-lost")
                  ? Optional.of(c.getBoolean("retryable-if-lost"))
                  : Optional.empty(),
              c.getInt("lost-retries"),
              routing,
              route(c, key, routes)));
    }
    return List.copyOf(jobs);
  }

  private static Map<String, String> env(Config env) {
    Map<String, String> values = new HashMap<>();
    env.root().keySet().forEach(k -> values.put(k, env.getString("\"" + k + "\"")));
    return Map.copyOf(values);
  }

  /** The schema, or an object schema when none is given (the arguments are always an object). */
  private static Optional<JsonNode> schema(Config c, String key) {
    String json =
        c.getObject("schema").isEmpty()
            ? "{\"type\":\"object\"}"
            : c.getValue("schema").render(ConfigRenderOptions.concise());
    try {
      return Optional.of(JSON.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ".schema: " + e.getMessage(), e);
    }
  }

  private static Optional<JobDefinition.Route> route(
      Config c, String key, Map<String, String> taken) {
    String path = c.getString("route.path");
    if (path.isEmpty()) {
      return Optional.empty();
    }
    String method = c.getString("route.method").toUpperCase(Locale.ROOT);
    if (!path.startsWith("/") || path.contains("{") || path.contains("?")) {
      throw new IllegalArgumentException(
          key + ".route.path = '" + path + "' must be an exact absolute path, e.g. /jobs/report");
    }
    for (String reserved : RESERVED) {
      if (path.equals(reserved) || path.startsWith(reserved + "/")) {
        throw new IllegalArgumentException(
            key + ".route.path = '" + path + "' is the edge's own (" + reserved + ")");
      }
    }
    if (!ROUTE_METHODS.contains(method)) {
      throw new IllegalArgumentException(
          key + ".route.method = '" + method + "' must be one of " + ROUTE_METHODS);
    }
    String other = taken.putIfAbsent(method + " " + path, key);
    if (other != null) {
      throw new IllegalArgumentException(
          key + ".route: " + method + " " + path + " is " + other + "'s route already");
    }
    return Optional.of(new JobDefinition.Route(path, method));
  }
}
