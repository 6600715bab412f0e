package io.overseer.worker.bff;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.WorkerProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a worker's BFF engine from the routes the master sent ({@link
 * WorkerProtocol.UseBffRoutes}), for a worker started by hand without {@code --config}: the files
 * are written to a fresh temporary directory (never outside it), the engine compiles every template
 * and transform from there, and the directory is deleted again.
 */
public final class ClusterRoutes {
  private ClusterRoutes() {}

  /**
   * @param workerConfig the worker's own configuration: defaults and {@code -D} settings under the
   *     master's routes
   * @return the engine, or null when the master has no routes to send
   * @throws IllegalArgumentException for a file name that would leave the directory
   * @throws com.typesafe.config.ConfigException naming the key when a route cannot work
   */
  public static BffEngine engine(WorkerProtocol.UseBffRoutes routes, Config workerConfig)
      throws IOException {
    if (routes.hocon().isBlank()) {
      return null;
    }
    Path directory = Files.createTempDirectory("overseer-bff-");
    try {
      for (Map.Entry<String, String> file : routes.files().entrySet()) {
        Path target = directory.resolve(file.getKey()).normalize();
        if (Path.of(file.getKey()).isAbsolute() || !target.startsWith(directory)) {
          throw new IllegalArgumentException("a routes file outside its directory: " + file);
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
      Config bff = ConfigFactory.parseString(routes.hocon()).atPath("overseer.bff");
      return BffEngine.create(bff.withFallback(workerConfig).resolve(), directory);
    } finally {
      deleteAll(directory); // everything is compiled: the engine reads no file later
    }
  }

  private static void deleteAll(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
