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
    WorkerProtocol.UseBffRoutes routes = of(overseer, configDirectory);
    long size = size(routes);
    return size > maxBytes
        ? new Prepared(
            null,
            size
                + " bytes with their files, above overseer.joined-workers.max-bff-routes-size = "
                + maxBytes)
        : new Prepared(routes, "");
  }

  /**
   * @param overseer the master's {@code overseer} section, resolved
   * @param configDirectory relative file names in it are relative to this directory
   * @throws IllegalArgumentException naming the file that cannot be read
   */
  public static WorkerProtocol.UseBffRoutes of(Config overseer, Path configDirectory) {
    Config bff = WorkerReference.withSharedDefaults(overseer.getConfig("bff").withoutPath("edge"));
    Map<String, String> files = new LinkedHashMap<>();
    Path templates = configDirectory.resolve(bff.getString("templates")).normalize();
    if (Files.isDirectory(templates)) {
      for (Path file : regularFiles(templates)) {
        files.put(
            TEMPLATES + "/" + templates.relativize(file).toString().replace('\\', '/'),
            read(file, "overseer.bff.templates"));
      }
    }
    bff = bff.withValue("templates", ConfigValueFactory.fromAnyRef(TEMPLATES));
    int index = 0;
    for (String route : bff.getConfig("routes").root().keySet()) {
      String key = ConfigUtil.joinPath("routes", route, "transform-file");
      if (bff.hasPath(key)) {
        String name = "transforms/" + index++ + ".jslt";
        files.put(name, read(configDirectory.resolve(bff.getString(key)).normalize(), key));
        bff = bff.withValue(key, ConfigValueFactory.fromAnyRef(name));
      }
    }
    String hocon = bff.root().render(ConfigRenderOptions.concise().setJson(false));
    return new WorkerProtocol.UseBffRoutes(hocon, Map.copyOf(files));
  }

  /** The bytes the message carries, about: what Artery's frame must hold. */
  public static long size(WorkerProtocol.UseBffRoutes routes) {
    long size = routes.hocon().getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, String> file : routes.files().entrySet()) {
      size += file.getKey().length() + file.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
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
      throw new IllegalArgumentException(
          "overseer." + key + ": cannot read " + file + " (" + e + ")", e);
    }
  }
}
