package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The distribution archive the build produced, extracted as a user would (into a directory outside
 * the repository), and commands run from it with a home of their own and a PATH without Maven.
 */
final class InstalledArchive {
  static final Path ARCHIVE =
      Path.of(System.getProperty("overseer.test.dist-archive")).toAbsolutePath();

  private static final Pattern STARTED = Pattern.compile("overseer started \\(pid (\\d+)\\)");

  /** A command's exit code and its output (stdout and stderr together). */
  record Run(int exitCode, String output) {}

  /** The directory the archive was extracted into; deleted by {@link #delete}. */
  final Path temp;

  /** The extracted overseer-&lt;version&gt;/ directory. */
  final Path dist;

  /** Prepended to the PATH of every command: tests put stand-ins there (e.g. a recording mvn). */
  final Path fakeBin;

  private InstalledArchive(Path temp, Path dist, Path fakeBin) {
    this.temp = temp;
    this.dist = dist;
    this.fakeBin = fakeBin;
  }

  static InstalledArchive extract() throws Exception {
    Path temp = Files.createTempDirectory("overseer-dist-").toRealPath();
    Run extract = run(temp, List.of("tar", "-xzf", ARCHIVE.toString(), "-C", temp.toString()));
    assertEquals(0, extract.exitCode(), extract.output());
    Path dist = temp.resolve(topDirectory());
    return new InstalledArchive(temp, dist, Files.createDirectories(temp.resolve("fake-bin")));
  }

  /** overseer-&lt;version&gt;, the archive's one top-level directory. */
  static String topDirectory() {
    return ARCHIVE.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
  }

  /** The installed bin/overseer, run from outside the repository with a home of its own. */
  Run overseer(Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(dist.resolve("bin/overseer").toString()));
    for (Object arg : args) {
      command.add(arg.toString());
    }
    return run(temp, command, environment(Map.of()));
  }

  /**
   * What every command from the installation sees: its own OVERSEER_HOME, a small master heap, and
   * a PATH of the fake bin, the JDK's bin and the system's.
   */
  Map<String, String> environment(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("OVERSEER_HOME", temp.resolve("home").toString());
    env.put("OVERSEER_MASTER_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
    Path javaBin = Path.of(RunningMaster.JAVA).getParent();
    env.put("PATH", fakeBin + ":" + javaBin + ":/usr/bin:/bin");
    return env;
  }

  static Run run(Path cwd, List<String> command) throws Exception {
    return run(cwd, command, Map.of());
  }

  /** Runs a command to its end (at most 150 s), without the test JVM's OVERSEER_* variables. */
  static Run run(Path cwd, List<String> command, Map<String, String> env) throws Exception {
    Path output = Files.createTempFile("overseer-dist-run-", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().remove("OVERSEER_ROOT");
    builder.environment().remove("OVERSEER_HOME");
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(150, TimeUnit.SECONDS), "finished: " + command);
      return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }

  /**
   * Writes {@code name} beside {@code config}'s directory: it includes {@code included} and moves
   * the edge and the cluster to free ports, with small worker heaps, plus {@code more} lines.
   *
   * @return the edge's port
   */
  static int onFreePorts(Path directory, String name, String included, String more)
      throws IOException {
    int httpPort = RunningMaster.freePort();
    Files.writeString(
        directory.resolve(name),
        """
        include "%s"
        overseer.http.port = %d
        overseer.cluster.port = %d
        overseer.apps.web.jvm-options = ["-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"]
        %s
        """
            .formatted(included, httpPort, RunningMaster.freeLowPort(), more));
    return httpPort;
  }

  /** {@code overseer start --config config}; the master's pid, from what it printed. */
  long start(Path config) throws Exception {
    Run start = overseer("start", "--config", config);
    Matcher started = STARTED.matcher(start.output());
    assertTrue(started.find(), start.toString());
    return Long.parseLong(started.group(1));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  void delete() throws IOException {
    try (Stream<Path> paths = Files.walk(temp)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
