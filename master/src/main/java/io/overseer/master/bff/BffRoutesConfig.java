package io.overseer.master.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.overseer.master.http.EdgeErrors;
import io.overseer.master.routing.RouteSettings;
import io.overseer.master.routing.StrategyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the edge's half of {@code overseer.bff.routes}: method, path, app, deadline, strategy and
 * the JSON Schemas of path, query and body (inline HOCON, or a file next to the config).
 */
public final class BffRoutesConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BffRoutesConfig() {}

  /**
   * @param overseer the {@code overseer} section
   * @param configDirectory schema files are resolved against it
   * @param workerApps the names of worker apps; a route must name one of them
   */
  public static List<BffRoute> parse(
      Config overseer, Path configDirectory, Set<String> workerApps) {
    Config bff = WorkerReference.withSharedDefaults(overseer.getConfig("bff"));
    Set<String> forward =
        bff.getStringList("forward-headers").stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    Config defaults = bff.getConfig("route-defaults");
    List<BffRoute> routes = new ArrayList<>();
    for (String name : bff.getObject("routes").keySet()) {
      Config r = bff.getConfig("routes").getConfig("\"" + name + "\"").withFallback(defaults);
      String app = r.getString("app");
      if (!workerApps.contains(app)) {
        throw new IllegalArgumentException(
            "overseer.bff.routes."
                + name
                + ".app = '"
                + app
                + "' must name a worker app, one of "
                + workerApps);
      }
      String method = r.getString("method").toUpperCase(Locale.ROOT);
      boolean idempotent =
          r.hasPath("idempotent") ? r.getBoolean("idempotent") : method.equals("GET");
      RouteSettings routing =
          new RouteSettings(
              name,
              StrategyKind.parse(r.getString("strategy")).create(),
              idempotent,
              r.getDuration("timeout"));
      RequestSchemas schemas =
          RequestSchemas.of(
              name,
              schema(r, "path", configDirectory),
              schema(r, "query", configDirectory),
              schema(r, "body", configDirectory));
      if (r.hasPath("error-template") && !r.hasPath("template")) {
        throw new IllegalArgumentException(
            "overseer.bff.routes."
                + name
                + ".error-template is for a route that renders a page (template)");
      }
      EdgeErrors errors =
          !r.hasPath("template")
              ? EdgeErrors.JSON
              : EdgeErrors.presentedBy(
                  ErrorPage.load(
                      configDirectory.resolve(bff.getString("templates")),
                      r.hasPath("error-template") ? r.getString("error-template") : null));
      routes.add(
          new BffRoute(
              name,
              method,
              PathTemplate.parse(r.getString("path")),
              app,
              routing,
              schemas,
              forward,
              errors));
    }
    return List.copyOf(routes);
  }

  /** {@code schema.<part>} inline, or {@code schema.<part>-file} naming a JSON file. */
  private static Optional<JsonNode> schema(Config route, String part, Path configDirectory) {
    try {
      if (route.hasPath("schema." + part)) {
        String json = route.getValue("schema." + part).render(ConfigRenderOptions.concise());
        return Optional.of(JSON.readTree(json));
      }
      if (route.hasPath("schema." + part + "-file")) {
        return Optional.of(
            JSON.readTree(
                Files.readString(
                    configDirectory.resolve(route.getString("schema." + part + "-file")))));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("schema." + part + " of a BFF route: " + e.getMessage(), e);
    }
  }
}
