package io.overseer.master.supervision;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One app of {@code overseer.apps}: a pool of worker JVMs ({@code mode = worker}), or any
 * executable supervised the same way without routing ({@code mode = command}, pm2's fork mode).
 *
 * @param launch how to start one process of the app
 * @param workerWeights routing weights of particular workers by id ({@code web-0}), over {@code
 *     weight}
 * @param spares worker apps only: extra ready, unrouted workers that replace a lost one at once
 * @param memoryLimitBytes 0 for none; a process over it is drained and replaced
 * @param memoryKind what the limit measures
 * @param rolloutBatch instances a reload replaces at a time
 * @param maxInstances the most instances the app may run (config and {@code scale}); a larger count
 *     is refused, so no command can make the master start an unbounded number of JVMs
 * @param agentHost empty on the master's host; on an agent, its host name (its {@code --name}),
 *     which every process id of this host carries ({@link #instanceId})
 */
public record AppSettings(
    String name,
    Mode mode,
    int instances,
    int spares,
    int weight,
    Map<String, Integer> workerWeights,
    LaunchTemplate launch,
    Duration readyTimeout,
    Duration killTimeout,
    long memoryLimitBytes,
    MemoryKind memoryKind,
    RestartPolicy restart,
    Duration pingInterval,
    Duration livenessTimeout,
    int rolloutBatch,
    int maxInstances,
    String agentHost) {

  public enum Mode {
    WORKER,
    COMMAND
  }

  public enum MemoryKind {
    RSS,
    HEAP
  }

  public AppSettings {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException(
          "app name must be letters, digits, '_', '.', '-': " + name);
    }
    if (instances < 0 || spares < 0 || weight < 1 || rolloutBatch < 1) {
      throw new IllegalArgumentException(
          "app "
              + name
              + ": instances and spares must be >= 0, weight and"
              + " rollout-batch >= 1");
    }
    if (instances > maxInstances) {
      throw new IllegalArgumentException(
          "app "
              + name
              + ": instances = "
              + instances
              + " is above max-instances = "
              + maxInstances);
    }
    if (mode == Mode.COMMAND && spares > 0) {
      throw new IllegalArgumentException("app " + name + ": spares are for worker apps only");
    }
    if (!agentHost.isEmpty() && !agentHost.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("app " + name + ": bad host name " + agentHost);
    }
  }

  /** Settings of the master's host, whose process ids carry no host name. */
  public AppSettings(
      String name,
      Mode mode,
      int instances,
      int spares,
      int weight,
      Map<String, Integer> workerWeights,
      LaunchTemplate launch,
      Duration readyTimeout,
      Duration killTimeout,
      long memoryLimitBytes,
      MemoryKind memoryKind,
      RestartPolicy restart,
      Duration pingInterval,
      Duration livenessTimeout,
      int rolloutBatch,
      int maxInstances) {
    this(
        name,
        mode,
        instances,
        spares,
        weight,
        workerWeights,
        launch,
        readyTimeout,
        killTimeout,
        memoryLimitBytes,
        memoryKind,
        restart,
        pingInterval,
        livenessTimeout,
        rolloutBatch,
        maxInstances,
        "");
  }

  /**
   * The id of an instance, and of the processes started for it: {@code web-0} on the master's host,
   * {@code web-0@h2} on agent h2. Unique in the whole cluster without any coordination between
   * hosts: each host numbers its own instances from 0 (OVERSEER_INSTANCE stays 0..n-1 per host, as
   * Node's NODE_APP_INSTANCE is per machine) and an agent's name is unique (the master refuses a
   * second agent of a name). A single machine's names stay what they always were, and nothing is
   * renamed when a host joins or leaves, which index ranges handed out per host would do. The id is
   * also the process's log file name, so an agent's logs never collide with the master's either.
   */
  public String instanceId(int index) {
    return name + "-" + index + hostPart();
  }

  /** The id of the {@code n}th spare started: {@code web-spare-0} (spares are the master's). */
  public String spareId(int n) {
    return name + "-spare-" + n + hostPart();
  }

  /**
   * The index of the instance whose id is {@code id} (the inverse of {@link #instanceId}), or -1 if
   * it is not one of this app's instance ids on this host.
   */
  public int instanceIndex(String id) {
    String prefix = name + "-";
    String suffix = hostPart();
    if (!id.startsWith(prefix) || !id.endsWith(suffix)) {
      return -1;
    }
    String number = id.substring(prefix.length(), id.length() - suffix.length());
    return number.matches("0|[1-9]\\d{0,8}") ? Integer.parseInt(number) : -1;
  }

  /** Whether {@code id} is one of this app's spare ids on this host ({@link #spareId}). */
  public boolean isSpareId(String id) {
    String prefix = name + "-spare-";
    String suffix = hostPart();
    return id.startsWith(prefix)
        && id.endsWith(suffix)
        && id.substring(prefix.length(), id.length() - suffix.length()).matches("\\d{1,9}");
  }

  private String hostPart() {
    return agentHost.isEmpty() ? "" : "@" + agentHost;
  }

  /** The same app as agent {@code host}'s share: its process ids carry the host's name. */
  public AppSettings onAgent(String host) {
    return with(instances, spares, host);
  }

  /**
   * The same app with other counts: what placement gives one host (the master's share, or an
   * agent's, which starts at 0 until its assignment arrives and keeps no spares).
   */
  public AppSettings withCounts(int instances, int spares) {
    return with(instances, spares, agentHost);
  }

  /** A copy that differs in what placement decides per host, the one place that names them all. */
  private AppSettings with(int instances, int spares, String host) {
    return new AppSettings(
        name,
        mode,
        instances,
        spares,
        weight,
        workerWeights,
        launch,
        readyTimeout,
        killTimeout,
        memoryLimitBytes,
        memoryKind,
        restart,
        pingInterval,
        livenessTimeout,
        rolloutBatch,
        maxInstances,
        host);
  }

  public boolean routable() {
    return mode == Mode.WORKER;
  }

  /**
   * Reads {@code overseer.apps.<name>} over {@code overseer.app-defaults}.
   *
   * @param configFile relative paths are resolved against its directory; workers get it too
   * @param clusterArgs the worker options that make it join the master (seed, TLS files)
   */
  public static AppSettings fromConfig(
      String name,
      Config app,
      Config defaults,
      Path configFile,
      List<String> clusterArgs,
      Path logDirectory,
      String defaultJava,
      Path defaultWorkerJar) {
    Path configDirectory = configFile.getParent();
    Config c = app.withFallback(defaults);
    try {
      Mode mode = Mode.valueOf(c.getString("mode").toUpperCase(Locale.ROOT));
      if (mode == Mode.WORKER && c.getString("class-path").isBlank()) {
        requireFile(
            c.getString("jar").isBlank()
                ? defaultWorkerJar
                : configDirectory.resolve(c.getString("jar")).normalize(),
            "jar",
            configDirectory);
      }
      LaunchTemplate launch =
          mode == Mode.WORKER
              ? LaunchTemplate.worker(
                  name,
                  orDefault(c.getString("java"), defaultJava),
                  c.getStringList("jvm-options"),
                  trimNativeHeapInterval(c),
                  c.getString("jar").isBlank()
                      ? defaultWorkerJar
                      : configDirectory.resolve(c.getString("jar")).normalize(),
                  classPath(c.getString("class-path"), configDirectory),
                  c.getString("main-class"),
                  clusterArgs,
                  configFile,
                  workerEnv(c),
                  logDirectory)
              : LaunchTemplate.command(
                  name,
                  c.getStringList("command"),
                  configDirectory.resolve(c.getString("cwd")).normalize(),
                  env(c),
                  logDirectory);
      Config r = c.getConfig("restart");
      RestartPolicy restart =
          new RestartPolicy(
              r.getBoolean("autorestart"),
              new HashSet<>(r.getIntList("stop-exit-codes")),
              r.getInt("max-restarts"),
              r.getDuration("window"),
              r.getDuration("min-uptime"),
              r.getDuration("backoff.initial"),
              r.getDouble("backoff.multiplier"),
              r.getDuration("backoff.max"),
              r.getDuration("backoff.after-stable-run"),
              r.getDuration("errored-cool-down"));
      Map<String, Integer> workerWeights = new LinkedHashMap<>();
      c.getConfig("worker-weights")
          .entrySet()
          .forEach(
              e ->
                  workerWeights.put(
                      e.getKey().replace("\"", ""),
                      ((Number) e.getValue().unwrapped()).intValue()));
      return new AppSettings(
          name,
          mode,
          // max, max-N: this host's cores (an agent's share is the master's to give)
          InstanceCount.read(c, "instances").on(InstanceCount.localCores()),
          c.getInt("spares"),
          c.getInt("weight"),
          Map.copyOf(workerWeights),
          launch,
          c.getDuration("ready-timeout"),
          c.getDuration("kill-timeout"),
          c.getBytes("memory-limit"),
          MemoryKind.valueOf(c.getString("memory-kind").toUpperCase(Locale.ROOT)),
          restart,
          c.getDuration("liveness.ping-interval"),
          c.getDuration("liveness.timeout"),
          c.getInt("rollout-batch"),
          c.getInt("max-instances"));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IllegalArgumentException("overseer.apps." + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A worker whose jar does not exist could only crash-loop with no reason shown: refused at start.
   */
  private static void requireFile(Path file, String key, Path configDirectory) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          key
              + " = "
              + file
              + ": no such file (relative paths are resolved against "
              + configDirectory
              + "; an empty jar means overseer-worker.jar beside the master's)");
    }
  }

  /** Each entry of a class path resolved against the config file's directory, like every path. */
  private static String classPath(String configured, Path configDirectory) {
    if (configured.isBlank()) {
      return "";
    }
    return Arrays.stream(configured.split(File.pathSeparator))
        .map(entry -> configDirectory.resolve(entry).normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String orDefault(String configured, String fallback) {
    return configured.isBlank() ? fallback : configured;
  }

  /**
   * A worker's environment: {@code env}, and {@code MALLOC_ARENA_MAX} from {@code malloc-arena-max}
   * unless that is 0 or env sets it itself.
   */
  private static Map<String, String> workerEnv(Config c) {
    Map<String, String> env = env(c);
    int arenas = c.getInt("malloc-arena-max");
    if (arenas < 0) {
      throw new IllegalArgumentException(
          "malloc-arena-max must be 0 (glibc's default) or more, got " + arenas);
    }
    if (arenas > 0) {
      env.putIfAbsent("MALLOC_ARENA_MAX", String.valueOf(arenas));
    }
    return env;
  }

  /** {@code trim-native-heap-interval}: zero (off) or more. */
  private static Duration trimNativeHeapInterval(Config c) {
    Duration interval = c.getDuration("trim-native-heap-interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException(
          "trim-native-heap-interval must be 0s (off) or more, got " + interval);
    }
    return interval;
  }

  private static Map<String, String> env(Config c) {
    Map<String, String> env = new LinkedHashMap<>();
    c.getConfig("env")
        .entrySet()
        .forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    return env;
  }
}
