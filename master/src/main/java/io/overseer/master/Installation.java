package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where this Overseer is installed, decided here alone for the master, the CLI and the systemd unit
 * (bin/overseer, a shell script, applies the same rule before any JVM runs). Two layouts:
 *
 * <ul>
 *   <li>the distribution archive, extracted: {@code
 *       ROOT/lib/overseer-{master,worker,examples}.jar}, {@code ROOT/bin/overseer}, {@code
 *       ROOT/conf/};
 *   <li>the Maven build tree: {@code ROOT/<module>/target/overseer-<module>.jar}, the same {@code
 *       bin/} and {@code conf/}.
 * </ul>
 *
 * @param root the directory holding {@code bin/} and {@code conf/}
 * @param lib the directory of the jars in an installed archive; null in the build tree
 */
public record Installation(Path root, Path lib) {
  /** Names the root explicitly (bin/overseer sets it; tests point it elsewhere). */
  public static final String ROOT_VARIABLE = "OVERSEER_ROOT";

  private static final String BUILD_OUTPUT = "target";

  /**
   * {@code $OVERSEER_ROOT} if set, else where this class was loaded from: a jar in {@code
   * <module>/target/} or a {@code target/classes} directory is the build tree; a jar anywhere else
   * is an installed {@code lib/} (its siblings are the other jars), whose parent is the root.
   */
  public static Installation locate(Map<String, String> env) {
    String configured = env.get(ROOT_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return at(Path.of(configured));
    }
    Path loadedFrom;
    try {
      loadedFrom =
          Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath()
              .normalize();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot tell where Overseer is installed: set " + ROOT_VARIABLE + " (" + e + ")", e);
    }
    return fromCodeSource(loadedFrom);
  }

  /** The installation at {@code root}: an archive if {@code root/lib} holds the master's jar. */
  public static Installation at(Path root) {
    Path normalized = root.toAbsolutePath().normalize();
    Path lib = normalized.resolve("lib");
    return new Installation(
        normalized, Files.isRegularFile(lib.resolve(jarName("master"))) ? lib : null);
  }

  /**
   * @param loadedFrom a jar, or a classes directory, absolute
   */
  static Installation fromCodeSource(Path loadedFrom) {
    Path directory = loadedFrom.getParent();
    if (Files.isDirectory(loadedFrom)) {
      // ROOT/<module>/target/classes: unit tests and the e2e tests' in-process CLI.
      return new Installation(directory.getParent().getParent(), null);
    }
    if (directory.getFileName().toString().equals(BUILD_OUTPUT)) {
      return new Installation(directory.getParent().getParent(), null);
    }
    return new Installation(directory.getParent(), directory);
  }

  /** Whether this is an installed archive rather than the build tree. */
  public boolean installed() {
    return lib != null;
  }

  /**
   * @param module master, worker or examples
   */
  public Path jar(String module) {
    return installed()
        ? lib.resolve(jarName(module))
        : root.resolve(module).resolve(BUILD_OUTPUT).resolve(jarName(module));
  }

  public Path masterJar() {
    return jar("master");
  }

  public Path workerJar() {
    return jar("worker");
  }

  public Path examplesJar() {
    return jar("examples");
  }

  /**
   * The walkthrough's user code (handlers, jobs, listeners): a thin jar the examples module builds
   * beside the demo backend's, for a worker app's {@code class-path}.
   */
  public Path examplesAppJar() {
    String name = "overseer-examples-app.jar";
    return installed()
        ? lib.resolve(name)
        : root.resolve("examples").resolve(BUILD_OUTPUT).resolve(name);
  }

  /** The configuration {@code run}, {@code start} and {@code startup} use without --config. */
  public Path defaultConfig() {
    return root.resolve("conf").resolve("overseer.conf");
  }

  /** bin/overseer, which the systemd unit runs. */
  public Path launcher() {
    return root.resolve("bin").resolve("overseer");
  }

  /** What to do about a jar that is missing here. */
  public String missingJarAdvice() {
    return installed()
        ? "the archive is incomplete: extract it again"
        : "build it: mvn -B -DskipTests package";
  }

  /**
   * {@code overseer.install.*}: the jars' absolute paths, for substitutions in the user's file
   * (e.g. the demo backend's {@code ${overseer.install.examples-jar}}), which then mean the same in
   * both layouts. Lies under the user's file and over reference.conf.
   */
  public Config toConfig() {
    return ConfigFactory.parseMap(
        Map.of(
            "overseer.install.worker-jar", workerJar().toString(),
            "overseer.install.examples-jar", examplesJar().toString(),
            "overseer.install.examples-app-jar", examplesAppJar().toString()),
        "where this Overseer is installed (" + root + ")");
  }

  private static String jarName(String module) {
    return "overseer-" + module + ".jar";
  }
}
