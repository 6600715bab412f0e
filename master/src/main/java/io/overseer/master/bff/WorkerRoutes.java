package io.overseer.master.bff;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The BFF routes as a worker started by hand without {@code --config} gets them from the master
 * ({@link WorkerProtocol.UseBffRoutes}): the {@code overseer.bff} section (the edge's limits left
 * out) with the files it refers to, renamed to paths under one directory (the templates directory
 * as {@code templates/}, each route's {@code transform-file} as {@code transforms/<n>.jslt}), so
 * that the worker never writes outside the directory it chooses. Built once, at start.
 */
public final class WorkerRoutes {
  private static final String TEMPLATES = "templates";

  private WorkerRoutes() {}

  /**
   * The routes ready to send, or why they are not.
   *
   * @param routes null when they cannot be sent
   * @param refusal why not, else empty
   */
  public record Prepared(WorkerProtocol.UseBffRoutes routes, String refusal) {}

  /**
   * @param maxBytes {@code overseer.joined-workers.max-bff-routes-size}: larger routes are not sent
   */
  public static Prepared prepare(Config overseer, Path configDirectory, long maxBytes) {
    WorkerProtocol.UseBffRoutes routes = of(overseer, configDirectory, maxBytes);
    String refusal =
        "more than "
            + maxBytes
            + " bytes with their files (overseer.joined-workers.max-bff-routes-size)";
    return routes == null ? new Prepared(null, refusal) : new Prepared(routes, "");
  }

  /**
   * @param overseer the master's {@code overseer} section, resolved
   * @param configDirectory relative file names in it are relative to this directory
   * @throws IllegalArgumentException naming the file that cannot be read
   */
  public static WorkerProtocol.UseBffRoutes of(Config overseer, Path configDirectory) {
    return of(overseer, configDirectory, Long.MAX_VALUE);
  }

  /** As {@link #of(Config, Path)}; null as soon as the size passes {@code maxBytes}. */
  private static WorkerProtocol.UseBffRoutes of(
      Config overseer, Path configDirectory, long maxBytes) {
    Config bff = WorkerReference.withSharedDefaults(overseer.getConfig("bff").withoutPath("edge"));
    Map<String, String> files = new LinkedHashMap<>();
    long size = 0;
    Path templates = configDirectory.resolve(bff.getString("templates")).normalize();
    if (Files.isDirectory(templates)) {
      for (Path file : regularFiles(templates)) {
        String name = TEMPLATES + "/" + templates.relativize(file).toString().replace('\\', '/');
        files.put(name, read(file, "overseer.bff.templates"));
        size += size(name, files.get(name));
        if (size > maxBytes) {
          return null; // a directory of anything: read no further
        }
      }
    }
    bff = bff.withValue("templates", ConfigValueFactory.fromAnyRef(TEMPLATES));
    int index = 0;
    for (String route : bff.getConfig("routes").root().keySet()) {
      String key = ConfigUtil.joinPath("routes", route, "transform-file");
      if (bff.hasPath(key)) {
        String name = "transforms/" + index++ + ".jslt";
        Path file = configDirectory.resolve(bff.getString(key)).normalize();
        files.put(name, read(file, "overseer.bff." + key));
        size += size(name, files.get(name));
        bff = bff.withValue(key, ConfigValueFactory.fromAnyRef(name));
      }
    }
    String hocon = bff.root().render(ConfigRenderOptions.concise().setJson(false));
    size += size("", hocon);
    return size > maxBytes ? null : new WorkerProtocol.UseBffRoutes(hocon, Map.copyOf(files));
  }

  private static long size(String name, String text) {
    return name.length() + text.getBytes(StandardCharsets.UTF_8).length;
  }

  private static List<Path> regularFiles(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file, String key) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(key + ": cannot read " + file + " (" + e + ")", e);
    }
  }
}
