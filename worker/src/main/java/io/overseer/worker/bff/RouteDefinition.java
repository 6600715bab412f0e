package io.overseer.worker.bff;

import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import io.overseer.api.bff.BffHandler;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One route under {@code overseer.bff.routes}, compiled once: upstreams in an order where each
 * comes after the ones it depends on, the JSLT transform, and either a template name or a handler
 * name.
 *
 * @param name the route's key
 * @param upstreams the upstream calls, dependencies first
 * @param transform the compiled JSLT, or {@code null} to answer the upstream results as they are
 * @param template the Mustache template that renders the page, or {@code null} for a JSON answer
 * @param handler the {@link BffHandler} name, or {@code null} for a declarative route
 * @param settings the route's {@code settings} block, handed to its handler
 * @param handlerCacheTtl how old a cached result of the handler's GET calls may be; zero: no cache
 */
record RouteDefinition(
    String name,
    List<UpstreamDefinition> upstreams,
    Expression transform,
    String template,
    String handler,
    Config settings,
    Duration handlerCacheTtl) {

  static RouteDefinition parse(String name, Config c, BffSettings settings, Path configDirectory) {
    String where = "overseer.bff.routes." + name;
    String handler = c.hasPath("handler") ? c.getString("handler") : null;
    boolean declarative =
        c.hasPath("upstreams")
            || c.hasPath("transform")
            || c.hasPath("transform-file")
            || c.hasPath("template");
    if (handler != null && declarative) {
      throw new ConfigException.BadValue(
          where, "a handler route has no upstreams, transform or template");
    }
    List<UpstreamDefinition> upstreams =
        c.hasPath("upstreams")
            ? ordered(where, upstreams(where, c.getConfig("upstreams"), settings))
            : List.of();
    return new RouteDefinition(
        name,
        upstreams,
        transform(where, c, configDirectory),
        c.hasPath("template") ? c.getString("template") : null,
        handler,
        c.hasPath("settings") ? c.getConfig("settings") : ConfigFactory.empty(),
        c.hasPath("cache-ttl") ? c.getDuration("cache-ttl") : Duration.ZERO);
  }

  private static Map<String, UpstreamDefinition> upstreams(
      String where, Config block, BffSettings settings) {
    Set<String> names = block.root().keySet();
    Map<String, UpstreamDefinition> byName = new LinkedHashMap<>();
    for (String upstream : names) {
      byName.put(
          upstream,
          UpstreamDefinition.parse(
              where + ".upstreams." + upstream,
              upstream,
              block.getConfig(ConfigUtil.joinPath(upstream)),
              settings,
              names));
    }
    return byName;
  }

  /** Depth-first topological order; a cycle would leave calls waiting for each other forever. */
  private static List<UpstreamDefinition> ordered(
      String where, Map<String, UpstreamDefinition> byName) {
    List<UpstreamDefinition> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (String name : byName.keySet()) {
      visit(where, name, byName, done, new ArrayList<>(), order);
    }
    return List.copyOf(order);
  }

  private static void visit(
      String where,
      String name,
      Map<String, UpstreamDefinition> byName,
      Set<String> done,
      List<String> path,
      List<UpstreamDefinition> order) {
    if (done.contains(name)) {
      return;
    }
    if (path.contains(name)) {
      path.add(name);
      throw new ConfigException.BadValue(
          where, "upstreams depend on each other in a cycle: " + path);
    }
    path.add(name);
    for (String dependency : byName.get(name).dependencies()) {
      visit(where, dependency, byName, done, path, order);
    }
    path.remove(path.size() - 1);
    done.add(name);
    order.add(byName.get(name));
  }

  private static Expression transform(String where, Config c, Path configDirectory) {
    try {
      if (c.hasPath("transform")) {
        return Parser.compileString(c.getString("transform"));
      }
      if (c.hasPath("transform-file")) {
        Path file =
            (configDirectory == null ? Path.of("") : configDirectory)
                .resolve(c.getString("transform-file"));
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          return new Parser(reader).withSource(file.toString()).compile();
        }
      }
      return null;
    } catch (JsltException | IOException e) {
      throw new ConfigException.BadValue(where, "transform does not compile: " + e.getMessage(), e);
    }
  }
}
