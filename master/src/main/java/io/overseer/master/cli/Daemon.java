package io.overseer.master.cli;

import io.overseer.master.Installation;
import io.overseer.master.supervision.JavaRuntime;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** {@code start} and {@code stop}: the master as a background process, like pm2's daemon. */
final class Daemon {
  /** How much of master.log a failed start shows. */
  private static final int LOG_LINES_ON_FAILURE = 20;

  private static final int HTTP_OK = 200;

  /**
   * The master's JVM options when {@code OVERSEER_MASTER_JAVA_OPTS} is unset (bin/overseer has the
   * same default, and says why the serial GC): a bounded heap, and an exit rather than a crawl if
   * it is ever exhausted.
   */
  static final String DEFAULT_MASTER_JAVA_OPTS =
      "-XX:+UseSerialGC -Xms8m -Xmx512m -XX:+ExitOnOutOfMemoryError";

  /**
   * Added to the default options on a JDK that knows it (bin/overseer does the same): the native
   * memory glibc keeps after the JVM freed it goes back to the OS every 2 s, ~16 MiB of an idle
   * master (BENCHMARKS.md, "Idle memory"). Not added to options the user set.
   */
  static final String TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=2000";

  /** The default options for a master on a JDK of {@code version}: the CLI's own, which it runs. */
  static String defaultMasterJavaOpts(Runtime.Version version) {
    return JavaRuntime.trimsNativeHeap(version)
        ? DEFAULT_MASTER_JAVA_OPTS + " " + TRIM_NATIVE_HEAP
        : DEFAULT_MASTER_JAVA_OPTS;
  }

  private final CliHome home;
  private final Installation installation;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  /** The waits of start (its deadline, /health polls) and of stop. */
  private final CliSettings settings;

  private final HttpClient http;

  /**
   * @param installation where the master's jar is (the archive's lib/, or the build tree)
   * @param env the environment; {@code OVERSEER_MASTER_JAVA_OPTS} adds JVM options to the master
   */
  Daemon(
      CliHome home,
      Installation installation,
      Map<String, String> env,
      CliSettings settings,
      PrintStream out,
      PrintStream err) {
    this.home = home;
    this.installation = installation;
    this.env = env;
    this.settings = settings;
    this.out = out;
    this.err = err;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.healthTimeout())
            .build();
  }

  /**
   * Starts the master in a new session (it outlives the terminal) and waits until it is healthy.
   *
   * @param config the configuration file, absolute
   */
  int start(Path config) throws CliException {
    // The lock first: it also covers a master still starting, before it has written its pid file.
    Optional<String> running =
        home.lockHolder().or(() -> home.master().map(m -> Long.toString(m.pid())));
    if (running.isPresent()) {
      err.println(
          "overseer is already running for OVERSEER_HOME "
              + home.directory()
              + " (pid "
              + running.get()
              + ")");
      return CliException.FAILURE;
    }
    if (!Files.isRegularFile(config)) {
      throw CliException.failure("config file not found: " + config);
    }
    Path jar = installation.masterJar();
    if (!Files.isRegularFile(jar)) {
      throw CliException.failure(
          "master jar not found: " + jar + " (" + installation.missingJarAdvice() + ")");
    }
    Process process = spawn(jar, config);
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    Optional<URI> healthy;
    while ((healthy = healthyMaster()).isEmpty()) {
      if (!process.isAlive()) {
        return startFailed("the master exited with code " + process.exitValue());
      }
      if (System.nanoTime() > deadline) {
        return startFailed(
            "the master (pid "
                + process.pid()
                + ") did not become healthy within "
                + CliSettings.seconds(settings.startTimeout())
                + "; it may still be starting (see "
                + home.masterLog()
                + ")");
      }
      LockSupport.parkNanos(settings.healthPollInterval().toNanos());
    }
    long pid = home.master().map(ProcessHandle::pid).orElse(process.pid());
    out.println("overseer started (pid " + pid + "), admin at " + healthy.get());
    return 0;
  }

  /**
   * The daemon master's command line: its own session, the JVM options of {@code
   * OVERSEER_MASTER_JAVA_OPTS} (a bounded heap when unset), the jar, the config and its console
   * log.
   */
  static List<String> masterCommand(
      Map<String, String> env, String java, Path jar, Path config, Path consoleLog) {
    List<String> command = new ArrayList<>();
    // setsid: a session of its own, so closing the terminal (SIGHUP to its session) spares it.
    command.add("setsid");
    command.add(java);
    // Split on whitespace, as bin/overseer run does; no shell is involved either way.
    String javaOptions =
        env.getOrDefault("OVERSEER_MASTER_JAVA_OPTS", defaultMasterJavaOpts(Runtime.version()))
            .strip();
    if (!javaOptions.isEmpty()) {
      command.addAll(Arrays.asList(javaOptions.split("\\s+")));
    }
    // The master's class-data-sharing archive, as bin/overseer run passes it (master/pom.xml dumps
    // it beside the jar): ~0.9 s of the start. A stale one is ignored silently by the JVM; options
    // that name their own archive keep it.
    Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
    if (Files.isRegularFile(archive) && !javaOptions.contains("SharedArchiveFile")) {
      command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"));
    }
    // The master writes its console into master.log itself, rotated like every process log: this
    // CLI exits once the master is healthy, so no one would be left to pump a pipe. The file
    // descriptors still point at master.log, for what the JVM writes before main (a bad option).
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--config",
            config.toString(),
            "--console-log",
            consoleLog.toString()));
    return command;
  }

  private Process spawn(Path jar, Path config) throws CliException {
    List<String> command =
        masterCommand(
            env,
            ProcessHandle.current().info().command().orElse("java"),
            jar,
            config,
            home.masterLog());
    try {
      Files.createDirectories(home.logs());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(installation.root().toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(home.masterLog().toFile()))
              .redirectErrorStream(true);
      builder.environment().put("OVERSEER_HOME", home.directory().toString());
      return builder.start();
    } catch (IOException e) {
      throw CliException.failure(
          "cannot start the master (" + String.join(" ", command) + "): " + e.getMessage());
    }
  }

  /**
   * The admin URL once the pid file names a live master that answers /health there: on the edge, or
   * on the admin listener, which is bound after the edge.
   */
  private Optional<URI> healthyMaster() {
    if (home.master().isEmpty()) {
      return Optional.empty();
    }
    Optional<URI> url = home.adminUrl();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url.get() + "/health"))
            .timeout(settings.healthTimeout())
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status == HTTP_OK ? url : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not bound yet: the next poll asks again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private int startFailed(String problem) {
    err.println(problem);
    err.println("last lines of " + home.masterLog() + ":");
    try {
      List<String> lines = Files.readAllLines(home.masterLog(), StandardCharsets.UTF_8);
      lines
          .subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size())
          .forEach(err::println);
    } catch (IOException e) {
      err.println("(cannot read it: " + e + ")");
    }
    return CliException.FAILURE;
  }

  /** SIGTERM to the master (it drains and stops its processes), then waits for it to exit. */
  int stop() throws CliException {
    ProcessHandle master =
        home.master().orElseThrow(() -> CliException.notRunning(home.directory()));
    if (!master.destroy()) {
      throw CliException.failure("could not send SIGTERM to the master (pid " + master.pid() + ")");
    }
    try {
      master.onExit().get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CliException.failure(
          "the master (pid "
              + master.pid()
              + ") did not stop within "
              + CliSettings.seconds(settings.stopTimeout())
              + " (overseer.cli.stop-timeout); to force it: kill -9 "
              + master.pid());
    } catch (ExecutionException e) {
      throw new IllegalStateException("onExit does not fail", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure(
          "interrupted while waiting for the master (pid " + master.pid() + ") to stop");
    }
    out.println("overseer stopped (pid " + master.pid() + ")");
    return 0;
  }
}
