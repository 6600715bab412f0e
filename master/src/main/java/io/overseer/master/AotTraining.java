package io.overseer.master;

import io.overseer.master.supervision.JavaRuntime;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run once at build time (master/pom.xml, after the class-data-sharing archives): when a JDK 25+ is
 * found, writes the AOT caches of the worker and the master with it (JEP 483/514/515: classes
 * loaded and linked ahead of time, and method profiles, so the JIT starts warm), each beside its
 * jar with a marker naming that JDK's home ({@code .aot.jdk}): bin/overseer and the master's
 * LaunchTemplate give a cache only to the JDK that wrote it. The same training runs as for the
 * archives: the master's CdsTraining under {@code -XX:AOTCacheOutput}, whose trained worker writes
 * the worker's cache ({@link WorkerTraining}); if it wrote none, the worker's own CdsTraining.
 *
 * <p>Arguments: the build tree's root, and the JDK to use: a JDK's home, {@code auto} (the newest
 * JDK 25+ under /usr/lib/jvm), or {@code none}. Without a JDK, the caches of an earlier build are
 * removed and the build goes on with the archives alone.
 */
public final class AotTraining {
  /** JEP 514's one-step training and JEP 515's profiles are JDK 25's. */
  private static final int MIN_FEATURE = 25;

  private static final Path JDKS = Path.of("/usr/lib/jvm");

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    String choice = args.length > 1 ? args[1].strip() : "auto";
    Path workerJar = root.resolve("worker/target/overseer-worker.jar");
    Path masterJar = root.resolve("master/target/overseer-master.jar");
    for (Path jar : List.of(workerJar, masterJar)) {
      Files.deleteIfExists(cache(jar));
      Files.deleteIfExists(marker(jar));
    }
    Optional<Path> jdk = choose(choice);
    if (jdk.isEmpty()) {
      System.out.println(
          "AOT caches: no JDK " + MIN_FEATURE + "+ (" + choice + "): class-data sharing only");
      return;
    }
    Path java = jdk.get().resolve("bin/java");
    Path target = root.resolve("master/target");
    // The master's training trains the worker's cache too, on a worker that serves its requests
    // (WorkerTraining): the profiles of real /compute and BFF traffic, not of a boot alone.
    Path scratch = target.resolve("aot-training");
    ProcessBuilder master =
        new ProcessBuilder(
            java.toString(),
            "-XX:AOTCacheOutput=" + cache(masterJar),
            "--sun-misc-unsafe-memory-access=allow",
            "-Xmx512m",
            "-cp",
            masterJar.toString(),
            "io.overseer.master.CdsTraining",
            root.toString(),
            scratch.toString(),
            cache(workerJar).toString());
    master.environment().put("OVERSEER_HOME", scratch.resolve("home").toString());
    master.environment().put("OVERSEER_ROOT", root.toString());
    train(master.command(), master, target.resolve("aot-training-master.log"));
    Files.writeString(marker(masterJar), jdk.get() + "\n");
    if (!Files.isRegularFile(cache(workerJar))) {
      // The fallback: a worker that boots and joins itself (the worker module's training).
      train(
          List.of(
              java.toString(),
              "-XX:AOTCacheOutput=" + cache(workerJar),
              "--sun-misc-unsafe-memory-access=allow",
              "-cp",
              workerJar.toString(),
              "io.overseer.worker.CdsTraining"),
          root,
          target.resolve("aot-training-worker.log"));
    }
    Files.writeString(marker(workerJar), jdk.get() + "\n");
    System.out.println("AOT caches written with " + jdk.get());
  }

  /** The JDK home to train with, real path (what the launchers compare), if it is 25+. */
  static Optional<Path> choose(String choice) throws IOException {
    if (choice.equals("none")) {
      return Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    if (choice.equals("auto") || choice.isEmpty()) {
      if (Files.isDirectory(JDKS)) {
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(JDKS)) {
          homes.forEach(candidates::add);
        }
      }
    } else {
      candidates.add(Path.of(choice));
    }
    Optional<Path> best = Optional.empty();
    int bestFeature = 0;
    for (Path home : candidates) {
      int feature = JavaRuntime.feature(home);
      if (feature >= MIN_FEATURE
          && feature > bestFeature
          && Files.isExecutable(home.resolve("bin/java"))) {
        best = Optional.of(home.toRealPath());
        bestFeature = feature;
      }
    }
    if (best.isEmpty() && !choice.equals("auto") && !choice.isEmpty()) {
      throw new IllegalArgumentException(
          "overseer.aot.jdk=" + choice + " is not the home of a JDK " + MIN_FEATURE + "+");
    }
    return best;
  }

  private static void train(List<String> command, Path root, Path log)
      throws IOException, InterruptedException {
    train(command, new ProcessBuilder(command).directory(root.toFile()), log);
  }

  private static void train(List<String> command, ProcessBuilder builder, Path log)
      throws IOException, InterruptedException {
    // The training's output (the JVM lists the classes it cannot cache) goes to a log, not the
    // build's.
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int code = process.waitFor();
    Path cache = Path.of(command.get(1).substring("-XX:AOTCacheOutput=".length()));
    if (code != 0 || !Files.isRegularFile(cache)) {
      throw new IllegalStateException(
          "AOT training failed (exit " + code + "): " + String.join(" ", command) + "; see " + log);
    }
  }

  static Path cache(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".aot");
  }

  static Path marker(Path jar) {
    return jar.resolveSibling(cache(jar).getFileName() + ".jdk");
  }
}
