package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real master JVM started from {@code overseer-master.jar} with its own config, ports and
 * OVERSEER_HOME in a temp directory. Every pid it or its workers ever had is remembered, so {@link
 * #close()} can end each one by pid: a test leaves no process behind.
 */
final class RunningMaster implements AutoCloseable {
  static final Path MASTER_JAR = Path.of(System.getProperty("overseer.test.master-jar"));
  static final Path WORKER_JAR = Path.of(System.getProperty("overseer.test.worker-jar"));

  /** The demo backend, run as a command app by the BFF tests. */
  static final Path EXAMPLES_JAR = Path.of(System.getProperty("overseer.test.examples-jar"));

  static final String JAVA = ProcessHandle.current().info().command().orElse("java");
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path directory;
  final Path home;
  final int httpPort;
  final int clusterPort;
  final Process process;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<Long> pidsSeen = ConcurrentHashMap.newKeySet();
  private final List<Process> extraProcesses = new ArrayList<>();

  private RunningMaster(Path directory, int httpPort, int clusterPort, Process process, Path log) {
    this.directory = directory;
    this.home = directory.resolve("home");
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.process = process;
    this.log = log;
    pidsSeen.add(process.pid());
  }

  /** Starts a master with two workers and waits until both are ready. */
  static RunningMaster start() throws IOException {
    return start("");
  }

  /**
   * @param extraConfig HOCON appended to the test's config file
   */
  static RunningMaster start(String extraConfig) throws IOException {
    return start(extraConfig, 2);
  }

  /**
   * @param extraConfig HOCON appended to the test's config file
   * @param expectedWorkers ready workers to wait for; with 0, waits until the edge answers
   */
  static RunningMaster start(String extraConfig, int expectedWorkers) throws IOException {
    return startWith(
        extraConfig,
        expectedWorkers,
        List.of(JAVA, "-Xmx256m", "-jar", MASTER_JAR.toString()),
        Map.of());
  }

  /**
   * As {@link #start(String, int)}, the master started by {@code command} followed by {@code
   * --config FILE} (e.g. bin/overseer run), with {@code env} added to its environment.
   */
  static RunningMaster startWith(
      String extraConfig, int expectedWorkers, List<String> command, Map<String, String> env)
      throws IOException {
    Path directory = Files.createTempDirectory("overseer-e2e-");
    int httpPort = freePort();
    int clusterPort = freeLowPort();
    String config =
        """
        overseer {
          http.port = %d
          cluster.port = %d
          http.shutdown-drain = 20s
          apps.web {
            instances = 2
            jar = "%s"
            jvm-options = ["-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"]
            liveness.ping-interval = 200ms
          }
        }
        %s
        """
            .formatted(httpPort, clusterPort, WORKER_JAR, extraConfig);
    Files.writeString(directory.resolve("overseer.conf"), config);
    return launch(
        directory,
        httpPort,
        clusterPort,
        directory.resolve("master.log"),
        expectedWorkers,
        command,
        env);
  }

  /**
   * A new master with the same config file, ports and OVERSEER_HOME as {@code previous} (which must
   * be gone), logging to {@code logName} in the same directory.
   */
  static RunningMaster startAgain(RunningMaster previous, String logName, int expectedWorkers)
      throws IOException {
    return launch(
        previous.directory,
        previous.httpPort,
        previous.clusterPort,
        previous.directory.resolve(logName),
        expectedWorkers,
        List.of(JAVA, "-Xmx256m", "-jar", MASTER_JAR.toString()),
        Map.of());
  }

  private static RunningMaster launch(
      Path directory,
      int httpPort,
      int clusterPort,
      Path log,
      int expectedWorkers,
      List<String> command,
      Map<String, String> env)
      throws IOException {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(List.of("--config", directory.resolve("overseer.conf").toString()));
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().putAll(env);
    builder.environment().put("OVERSEER_HOME", directory.resolve("home").toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    RunningMaster master =
        new RunningMaster(directory, httpPort, clusterPort, builder.start(), log);
    try {
      if (expectedWorkers > 0) {
        master.awaitReadyWorkers(expectedWorkers);
      } else {
        await("the edge answers")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(() -> master.get("/health").statusCode() == 200);
      }
      master.remember(master.reaper().pid());
    } catch (RuntimeException | Error e) {
      System.err.println(master.logTail());
      master.close();
      throw e;
    }
    return master;
  }

  /**
   * A free port below Linux's ephemeral range, where the workers' random ports lie: the master's
   * node then sorts first and leads the cluster, as it does with the default port 25520.
   */
  static int freeLowPort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
      try (ServerSocket socket =
          new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another one
      }
    }
    throw new IOException("no free port found in 20000..29999");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  void awaitReadyWorkers(int count) {
    await("%d ready workers".formatted(count))
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> onlineWorkers().size() == count);
  }

  String token() throws IOException {
    return Files.readString(home.resolve("admin.token")).trim();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return http.sendAsync(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(120));
  }

  /**
   * A request to the admin API where the CLI finds it, at {@code $OVERSEER_HOME/admin.url}: the
   * edge, or the admin listener when one is configured.
   */
  HttpRequest.Builder adminRequest(String path) throws IOException {
    String base = Files.readString(home.resolve("admin.url"), StandardCharsets.UTF_8).trim();
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token())
        .timeout(Duration.ofSeconds(120));
  }

  /** The admin API's worker list; remembers every pid it shows. */
  List<JsonNode> workers() throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(adminRequest("/_admin/workers").timeout(Duration.ofSeconds(10)));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "admin answered " + response.statusCode() + ": " + response.body());
    }
    List<JsonNode> list = new ArrayList<>();
    JSON.readTree(response.body()).get("workers").forEach(list::add);
    list.stream()
        .filter(w -> w.hasNonNull("pid"))
        .forEach(w -> pidsSeen.add(w.get("pid").asLong()));
    return list;
  }

  /** The admin view of the process (or instance) with this id, if listed. */
  java.util.Optional<JsonNode> process(String id) throws IOException, InterruptedException {
    return workers().stream().filter(w -> w.get("id").asText().equals(id)).findFirst();
  }

  /** Waits until the process with this id is listed and matches. */
  JsonNode awaitProcess(
      String id, java.util.function.Predicate<JsonNode> condition, Duration within) {
    java.util.concurrent.atomic.AtomicReference<JsonNode> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    await(id + " in the expected state")
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var found = process(id);
              found.ifPresent(seen::set);
              return found.isPresent() && condition.test(found.get());
            });
    return seen.get();
  }

  HttpResponse<String> admin(String method, String path, String jsonBody)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = adminRequest(path).timeout(Duration.ofMinutes(3));
    request =
        jsonBody == null
            ? request.method(method, HttpRequest.BodyPublishers.noBody())
            : request
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    return send(request);
  }

  List<JsonNode> onlineWorkers() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "master exited with " + process.exitValue() + "\n" + logTail());
    }
    try {
      return workers().stream()
          .filter(
              w ->
                  w.get("state").asText().equals("online")
                      && w.get("mode").asText().equals("worker"))
          .toList();
    } catch (IOException | InterruptedException | IllegalStateException e) {
      return List.of(); // not up yet
    }
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /**
   * A worker started by hand, as a user would on another machine: {@code --join}, no stdin watch.
   *
   * @param options more of the worker's options ({@code --tls-dir DIR})
   */
  Process startWorkerByHand(String id, String... options) throws IOException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                JAVA,
                "-XX:+UseSerialGC",
                "-Xmx128m",
                "-jar",
                WORKER_JAR.toString(),
                "--join",
                "127.0.0.1:" + clusterPort,
                "--id",
                id));
    argv.addAll(List.of(options));
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.redirectErrorStream(true);
    builder.redirectOutput(directory.resolve(id + ".log").toFile());
    Process worker = builder.start();
    extraProcesses.add(worker);
    pidsSeen.add(worker.pid());
    return worker;
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no master log: " + e + ")";
    }
  }

  /**
   * SIGTERM to the master and waits for it; then SIGKILL to every process seen that still lives.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      onlineWorkers(); // remember the current worker pids
      process.destroy();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    extraProcesses.forEach(Process::destroyForcibly);
    for (long pid : pidsSeen) {
      ProcessHandle.of(pid)
          .ifPresent(
              handle -> {
                handle.destroyForcibly();
                handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> handle).join();
              });
    }
  }

  /**
   * Ends this pid too in {@link #close()}: a process the test found by itself (a child's child).
   */
  void remember(long pid) {
    pidsSeen.add(pid);
  }

  /** The master's reaper, the child JVM whose main class is the Reaper. */
  ProcessHandle reaper() {
    return process
        .toHandle()
        .children()
        .filter(
            child ->
                child
                    .info()
                    .arguments()
                    .map(List::of)
                    .orElse(List.of())
                    .contains("io.overseer.master.launch.Reaper"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the master has no reaper:\n" + logTail()));
  }

  Set<Long> pidsSeen() {
    return Set.copyOf(pidsSeen);
  }
}
