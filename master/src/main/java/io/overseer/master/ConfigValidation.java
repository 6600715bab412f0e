package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.overseer.master.bff.WorkerReference;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks made before anything starts, so that a mistake stops the start with one message naming the
 * key and the file, and nothing half-starts (no process launched, no port bound):
 *
 * <ul>
 *   <li>every key under {@code overseer} is declared: by the master's reference.conf or the
 *       worker's (the user's file is read by both). An empty object there ({@code apps {}}, {@code
 *       env {}}, {@code routes = {}}) is a map whose keys the user names; the blocks of {@code
 *       apps} are checked against {@code app-defaults} (those of {@code jobs} against {@code
 *       job-defaults}), those of {@code bff.routes} against {@link #ROUTE_KEYS} and their upstreams
 *       against {@link #UPSTREAM_KEYS};
 *   <li>the edge's and the cluster's ports are free.
 * </ul>
 *
 * Types and worker jars are checked where they are read (MasterSettings, AppSettings).
 */
public final class ConfigValidation {
  /** A start refused because of the configuration: the message names the key and the file. */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The keys of a BFF route beyond {@code bff.route-defaults}: the edge's (path, idempotent, the
   * JSON Schemas, the error page) and the worker's (handler, upstreams, transform, template,
   * settings, cache). {@code schema} and {@code settings} are free-form.
   */
  static final Set<String> ROUTE_KEYS =
      Set.of(
          "path",
          "idempotent",
          "schema",
          "handler",
          "upstreams",
          "transform",
          "transform-file",
          "template",
          "error-template",
          "settings",
          "cache-ttl");

  private static final Set<String> FREE_ROUTE_KEYS = Set.of("schema", "settings");

  /** The keys of one upstream beyond the worker's {@code bff.upstream-defaults}. */
  static final Set<String> UPSTREAM_KEYS = Set.of("url", "body", "timeout", "retries");

  private ConfigValidation() {}

  /**
   * @param loaded the whole configuration, the user's over every default
   */
  public static void checkKeys(Config loaded, Path configFile) {
    Config masterReference = ConfigFactory.defaultReference().getConfig("overseer");
    Config workerReference = WorkerReference.load().getConfig("overseer");
    ConfigObject known = masterReference.withFallback(workerReference).root();
    ConfigObject user = loaded.getObject("overseer");
    for (String key : user.keySet()) {
      String path = "overseer." + ConfigUtil.quoteString(key).replace("\"", "");
      switch (key) {
        case "apps" ->
            each(
                user.get(key),
                path,
                app ->
                    checkObject(
                        app.value(),
                        app.path(),
                        (ConfigObject) known.get("app-defaults"),
                        configFile),
                configFile);
        case "jobs" ->
            each(
                user.get(key),
                path,
                job ->
                    checkObject(
                        job.value(),
                        job.path(),
                        (ConfigObject) known.get("job-defaults"),
                        configFile),
                configFile);
        default -> {
          if (known.get(key) == null) {
            throw unknown(path, user.get(key), known.keySet(), configFile);
          }
          check(user.get(key), known.get(key), path, configFile);
        }
      }
    }
    ConfigValue routes =
        loaded.hasPath("overseer.bff.routes") ? loaded.getValue("overseer.bff.routes") : null;
    if (routes != null) {
      Set<String> routeKeys = new java.util.HashSet<>(ROUTE_KEYS);
      routeKeys.addAll(known.toConfig().getObject("bff.route-defaults").keySet());
      Set<String> upstreamKeys = new java.util.HashSet<>(UPSTREAM_KEYS);
      upstreamKeys.addAll(known.toConfig().getObject("bff.upstream-defaults").keySet());
      each(
          routes,
          "overseer.bff.routes",
          route -> checkRoute(route, routeKeys, upstreamKeys, configFile),
          configFile);
    }
  }

  private record Entry(String path, ConfigValue value) {}

  private static void each(
      ConfigValue map, String path, java.util.function.Consumer<Entry> action, Path file) {
    if (map.valueType() != ConfigValueType.OBJECT) {
      throw invalid(path, map, "must be an object of named blocks", file);
    }
    ((ConfigObject) map)
        .forEach(
            (name, value) -> {
              String at = path + "." + name;
              if (value.valueType() != ConfigValueType.OBJECT) {
                throw invalid(at, value, "must be an object { ... }", file);
              }
              action.accept(new Entry(at, value));
            });
  }

  private static void checkRoute(
      Entry route, Set<String> routeKeys, Set<String> upstreamKeys, Path file) {
    ((ConfigObject) route.value())
        .forEach(
            (key, value) -> {
              String at = route.path() + "." + key;
              if (!routeKeys.contains(key)) {
                throw unknown(at, value, routeKeys, file);
              }
              if (key.equals("upstreams")) {
                each(
                    value,
                    at,
                    upstream ->
                        ((ConfigObject) upstream.value())
                            .forEach(
                                (k, v) -> {
                                  if (!upstreamKeys.contains(k)) {
                                    throw unknown(upstream.path() + "." + k, v, upstreamKeys, file);
                                  }
                                }),
                    file);
              }
            });
  }

  private static void check(ConfigValue value, ConfigValue declared, String path, Path file) {
    if (declared == null) {
      throw unknown(path, value, Set.of(), file);
    }
    if (declared instanceof ConfigObject object && value instanceof ConfigObject given) {
      checkObject(given, path, object, file);
    }
  }

  /** An empty declared object is a map of user-named keys; any other is checked key by key. */
  private static void checkObject(
      ConfigValue value, String path, ConfigObject declared, Path file) {
    if (declared.isEmpty()
        || path.equals("overseer.bff.routes")
        || !(value instanceof ConfigObject given)) {
      return;
    }
    for (String key : given.keySet()) {
      ConfigValue declaredValue = declared.get(key);
      if (declaredValue == null) {
        throw unknown(path + "." + key, given.get(key), declared.keySet(), file);
      }
      check(given.get(key), declaredValue, path + "." + key, file);
    }
  }

  private static Invalid unknown(String path, ConfigValue value, Set<String> siblings, Path file) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    String hint =
        siblings.stream()
            .min(Comparator.comparingInt(s -> distance(s, key)))
            .filter(s -> distance(s, key) <= 2)
            .map(s -> "; did you mean '" + s + "'?")
            .orElse("");
    return invalid(
        path,
        value,
        "unknown key (not declared in the master's or the worker's reference.conf)" + hint,
        file);
  }

  private static Invalid invalid(String path, ConfigValue value, String problem, Path file) {
    int line = value.origin().lineNumber();
    String where =
        (value.origin().filename() != null ? value.origin().filename() : file.toString())
            + (line > 0 ? ":" + line : "");
    return new Invalid(where + ": " + path + ": " + problem);
  }

  /** Levenshtein distance: "instanses" is 1 from "instances". */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** The failure's message, with the configuration file in front unless it already names it. */
  public static String describe(Exception failure, Path configFile) {
    String message = String.valueOf(failure.getMessage()).replaceAll("\\s*\\n\\s*", " ");
    String name = configFile.getFileName().toString();
    return message.contains(name) ? message : configFile.toAbsolutePath() + ": " + message;
  }

  /** Each {@code key = host:port} must be free now: a taken port is one line, not a stack trace. */
  public static void checkPortsFree(Path configFile, List<String[]> keyHostPort) {
    for (String[] entry : keyHostPort) {
      String key = entry[0];
      String host = entry[1];
      int port = Integer.parseInt(entry[2]);
      if (port == 0) {
        continue; // any free port
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        throw new Invalid(
            configFile
                + ": "
                + key
                + " = "
                + port
                + ": "
                + host
                + ":"
                + port
                + " cannot be bound ("
                + e.getMessage()
                + "; is another master or program using it?)");
      }
    }
  }
}
