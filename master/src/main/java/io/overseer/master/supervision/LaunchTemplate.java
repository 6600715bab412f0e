package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of a process's command line and environment that do not change per instance. */
public record LaunchTemplate(
    String app,
    List<String> argvPrefix,
    List<String> workerArgs,
    Path cwd,
    Map<String, String> env,
    Path logDirectory) {
  /**
   * Beside the worker's AOT cache: the home of the JDK that wrote it (master's AotTraining). Only
   * that JDK is given the cache; a JDK 17 would not even start with the option.
   */
  static final String AOT_JDK_MARKER = "overseer-worker.aot.jdk";

  static LaunchTemplate worker(
      String app,
      String java,
      List<String> jvmOptions,
      Duration trimNativeHeapInterval,
      Path jar,
      String classPath,
      String mainClass,
      List<String> clusterArgs,
      Path configFile,
      Map<String, String> env,
      Path logDirectory) {
    JavaRuntime runtime = JavaRuntime.of(java);
    List<String> argv = new ArrayList<>();
    argv.add(java);
    argv.addAll(jvmOptions);
    argv.addAll(trimOptions(runtime, jvmOptions, trimNativeHeapInterval));
    argv.addAll(archiveOptions(runtime, jvmOptions, jar, classPath));
    if (classPath.isBlank()) {
      argv.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    } else {
      argv.addAll(
          List.of(
              "-cp", classPath, mainClass.isBlank() ? "io.overseer.worker.WorkerMain" : mainClass));
    }
    List<String> workerArgs = new ArrayList<>(clusterArgs);
    workerArgs.addAll(List.of("--app", app, "--config", configFile.toAbsolutePath().toString()));
    return new LaunchTemplate(
        app, List.copyOf(argv), List.copyOf(workerArgs), null, Map.copyOf(env), logDirectory);
  }

  /**
   * {@code -XX:TrimNativeHeapInterval}: the JVM returns the native memory glibc keeps after it was
   * freed (the compilers' arenas, start-up's buffers) every {@code interval}, ~10 MiB of an idle
   * worker (BENCHMARKS.md, "Idle memory"). Only for a JDK that knows the flag (any other does not
   * start with it), and not when the app's options set it themselves; none for a zero interval.
   */
  static List<String> trimOptions(JavaRuntime runtime, List<String> jvmOptions, Duration interval) {
    if (interval.toMillis() <= 0
        || !runtime.trimsNativeHeap()
        || jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval"))) {
      return List.of();
    }
    return List.of("-XX:TrimNativeHeapInterval=" + interval.toMillis());
  }

  /**
   * The archive of the worker's classes that this JVM takes, built with the jar (worker/pom.xml,
   * master/pom.xml): the AOT cache (JDK 25+, classes loaded and linked, method profiles) when the
   * JDK that runs is the one that wrote it, else the class-data-sharing archive (JDK 17's; another
   * JDK ignores it silently), else none. Seconds per start either way (BENCHMARKS.md, "Start and
   * replacement"). Options that name an archive of their own keep it.
   */
  static List<String> archiveOptions(
      JavaRuntime runtime, List<String> jvmOptions, Path jar, String classPath) {
    List<String> options = new ArrayList<>();
    if (runtime.feature() >= 23) {
      // Pekko reads fields through sun.misc.Unsafe; JDK 24+ warns of it on every start otherwise.
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    if (namesAnArchive(jvmOptions) || !startsWithJar(classPath, jar)) {
      return options;
    }
    Path cache = jar.resolveSibling("overseer-worker.aot");
    Path archive = jar.resolveSibling("overseer-worker.jsa");
    if (Files.isRegularFile(cache) && runtime.made(jar.resolveSibling(AOT_JDK_MARKER))) {
      options.add("-XX:AOTCache=" + cache.toAbsolutePath());
      // The JVM still checks the cache (jar changed since, other JDK build) and runs without it
      // then: silently, as a stale archive is not the user's problem.
      options.addAll(List.of("-Xlog:aot=off", "-Xlog:cds=off"));
    } else if (Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
      options.add(
          "-Xlog:cds=off"); // a stale archive is ignored; its warning would only worry users
    } else {
      return options;
    }
    // JDK 17 updates map archives at a random address and patch every pointer in them, which
    // turns ~25 MiB of the archive into private memory per worker; mapped where it was dumped,
    // the archive stays clean, shared page cache for all workers (measured: bench/peers.sh).
    options.add("-XX:+UnlockDiagnosticVMOptions");
    options.add("-XX:ArchiveRelocationMode=0");
    return options;
  }

  /**
   * Options that name an archive to map ({@code SharedArchiveFile}, {@code AOTCache}) or one to
   * write ({@code ArchiveClassesAtExit}, {@code AOTCacheOutput}, {@code AOTMode}, {@code
   * AOTConfiguration}: the master's build-time training of the worker, WorkerTraining): the JVM
   * gets no archive of ours then: the JDK cannot dump a dynamic archive on top of another dynamic
   * archive, and a cache written is to hold everything the run loaded, not what ours lacked.
   */
  static boolean namesAnArchive(List<String> jvmOptions) {
    return jvmOptions.stream()
        .anyMatch(
            o ->
                o.startsWith("-XX:SharedArchiveFile")
                    || o.startsWith("-XX:ArchiveClassesAtExit")
                    || o.startsWith("-XX:AOTCache") // and AOTCacheOutput
                    || o.startsWith("-XX:AOTMode")
                    || o.startsWith("-XX:AOTConfiguration"));
  }

  /**
   * Whether the JVM's class path begins with the worker jar, as the archive's did when it was
   * dumped: the JDK uses an archive only then, and one dumped with the jar alone still serves a
   * class path that appends the user's code to it (the shipped configuration's {@code class-path =
   * worker jar : examples}), whose first routed answer came 1.2 s later without it.
   */
  static boolean startsWithJar(String classPath, Path jar) {
    if (classPath.isBlank()) {
      return true; // -jar
    }
    String first = classPath.split(java.io.File.pathSeparator, 2)[0];
    return !first.isBlank()
        && Path.of(first).toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize());
  }

  static LaunchTemplate command(
      String app, List<String> command, Path cwd, Map<String, String> env, Path logDirectory) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a command app needs command = [executable, args...]");
    }
    return new LaunchTemplate(
        app, List.copyOf(command), List.of(), cwd, Map.copyOf(env), logDirectory);
  }

  boolean isWorker() {
    return !workerArgs.isEmpty();
  }

  /**
   * The spec of one process: {@code OVERSEER_APP} and {@code OVERSEER_INSTANCE} in its environment
   * (Node's NODE_APP_INSTANCE), and for workers their id and the stdin watch.
   */
  public LaunchSpec specFor(String processId, int instance, Path exitReasonFile) {
    List<String> argv = new ArrayList<>(argvPrefix);
    if (isWorker()) {
      argv.addAll(workerArgs);
      argv.addAll(List.of("--id", processId, "--watch-stdin"));
    }
    Map<String, String> fullEnv = new LinkedHashMap<>(env);
    fullEnv.put("OVERSEER_APP", app);
    fullEnv.put("OVERSEER_INSTANCE", String.valueOf(instance));
    fullEnv.put("OVERSEER_EXIT_REASON_FILE", exitReasonFile.toString());
    return new LaunchSpec(
        processId,
        argv,
        fullEnv,
        cwd,
        logDirectory.resolve(processId + "-out.log"),
        logDirectory.resolve(processId + "-err.log"),
        // Its own session lets everything it starts be stopped with it: a command app may start
        // anything, a worker its command jobs — swept when it exits, even by SIGKILL.
        true);
  }
}
