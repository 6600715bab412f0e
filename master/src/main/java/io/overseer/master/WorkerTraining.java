package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The worker's part of the master's build-time training ({@link CdsTraining}): one worker of an app
 * of its own runs the installation's worker jar alone (so that the archive's class path is that
 * jar, which the JDK requires to be a prefix of every class path it serves: LaunchTemplate's
 * startsWithJar), takes the training's routed and BFF requests, and writes the worker's archive
 * when the master stops it (SIGTERM; the JVM dumps on that exit path). A worker that only boots and
 * joins itself (the worker module's own CdsTraining, the fallback) leaves about a thousand classes
 * of the worker jar outside the archive, parsed and verified again in every worker's private
 * memory: the ones requests, the receptionist and a real master's handshake load.
 */
final class WorkerTraining {
  /** The trained app; its one process is {@code training-0}. */
  static final String APP = "training";

  /**
   * Longer than any archive takes to write on a loaded build machine (a JDK 25 AOT cache is
   * assembled by a second JVM at exit): the master must not SIGKILL the worker while it writes.
   */
  private static final String KILL_TIMEOUT = "120s";

  private WorkerTraining() {}

  /**
   * The JVM option that writes {@code archive} at exit: an AOT cache ({@code .aot}, JDK 25's
   * one-step training, JEP 514) or a dynamic class-data-sharing archive.
   */
  static String dumpOption(Path archive) {
    String prefix =
        archive.getFileName().toString().endsWith(".aot")
            ? "-XX:AOTCacheOutput="
            : "-XX:ArchiveClassesAtExit=";
    return prefix + archive.toAbsolutePath();
  }

  /**
   * HOCON to append to the shipped configuration: the trained app, with the default JVM options of
   * every worker and the dump option; {@code /compute} and every declarative BFF route routed to
   * it; jobs kept where they ran. Every worker compiles every route and must find each route's
   * handler on its class path, which the trained worker cannot (handlers are the user's code): the
   * training makes those routes declarative (handler = null), to no request's harm, as it calls
   * none of them.
   *
   * @param shipped the shipped configuration file as parsed, unresolved
   * @param defaults the master's reference configuration (app-defaults, compute.app)
   */
  static String conf(Config shipped, Config defaults, Path archive) {
    List<String> options =
        new ArrayList<>(defaults.getStringList("overseer.app-defaults.jvm-options"));
    options.add(dumpOption(archive));
    String computeApp =
        shipped.hasPath("overseer.compute.app")
            ? shipped.getString("overseer.compute.app")
            : defaults.getString("overseer.compute.app");
    StringBuilder hocon = new StringBuilder("\n# io.overseer.master.WorkerTraining\n");
    // No jar and no class-path: the installation's worker jar alone, with -jar (LaunchTemplate).
    hocon.append(
        ("overseer.apps.%s { mode = worker, instances = 1, spares = 0, jar = \"\", class-path = \"\","
                + " kill-timeout = %s, jvm-options = %s }\n")
            .formatted(APP, KILL_TIMEOUT, list(options)));
    hocon.append("overseer.compute.app = ").append(APP).append('\n');
    for (String route : keys(shipped, "overseer.bff.routes")) {
      String path = ConfigUtil.joinPath("overseer", "bff", "routes", route);
      hocon.append(path);
      hocon.append(
          shipped.hasPath(path + ".handler") ? ".handler = null\n" : ".app = " + APP + "\n");
    }
    for (String job : keys(shipped, "overseer.jobs")) {
      String path = ConfigUtil.joinPath("overseer", "jobs", job);
      if (!shipped.hasPath(path + ".app")) {
        hocon
            .append(path)
            .append(".app = ")
            .append(ConfigUtil.quoteString(computeApp))
            .append('\n');
      }
    }
    return hocon.toString();
  }

  /** The shipped configuration of {@code file}, unresolved (its substitutions are the master's). */
  static Config parse(Path file) {
    return ConfigFactory.parseFile(file.toFile());
  }

  /**
   * After the trained worker's stop: moves the archive it wrote into place beside the worker jar,
   * in one rename, so that a worker mapping the previous one keeps its pages and none ever reads a
   * half-written file.
   *
   * @return whether it was written (else the worker module's archive stays)
   */
  static boolean keep(Path written, Path destination) throws IOException {
    if (!Files.isRegularFile(written) || Files.size(written) == 0) {
      return false;
    }
    Files.move(
        written, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static List<String> keys(Config shipped, String path) {
    return shipped.hasPath(path) ? List.copyOf(shipped.getObject(path).keySet()) : List.of();
  }

  private static String list(List<String> items) {
    return items.stream().map(ConfigUtil::quoteString).collect(Collectors.joining(", ", "[", "]"));
  }
}
