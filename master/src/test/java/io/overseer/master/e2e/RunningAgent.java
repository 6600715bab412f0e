package io.overseer.master.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real agent JVM ({@code io.overseer.master.agent.AgentMain} from the master's jar) joining a
 * {@link RunningMaster}: the master's config file, its own OVERSEER_HOME in a temp directory, a
 * free cluster port. Every pid it or its processes had is ended in {@link #close()}.
 */
final class RunningAgent implements AutoCloseable {
  final String name;
  final Path home;
  final int port;
  final Process process;
  private final Path log;
  private final Set<Long> pidsSeen = ConcurrentHashMap.newKeySet();

  private RunningAgent(String name, Path home, int port, Process process, Path log) {
    this.name = name;
    this.home = home;
    this.port = port;
    this.process = process;
    this.log = log;
    pidsSeen.add(process.pid());
  }

  /** Starts agent {@code name} on a new free port with a new home. */
  static RunningAgent start(RunningMaster master, String name) throws IOException {
    Path home = Files.createTempDirectory("overseer-agent-" + name + "-");
    return start(master, name, home, RunningMaster.freeLowPort());
  }

  /** Starts an agent with the given home and port (again, after one was killed). */
  static RunningAgent start(RunningMaster master, String name, Path home, int port)
      throws IOException {
    return start(master, name, home, port, master.directory.resolve("overseer.conf"));
  }

  /** Starts agent {@code name} with its own copy of the configuration. */
  static RunningAgent start(RunningMaster master, String name, Path config) throws IOException {
    Path home = Files.createTempDirectory("overseer-agent-" + name + "-");
    return start(master, name, home, RunningMaster.freeLowPort(), config);
  }

  private static RunningAgent start(
      RunningMaster master, String name, Path home, int port, Path config) throws IOException {
    Path log = home.resolveSibling(home.getFileName() + "-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
            RunningMaster.JAVA,
            "-Xmx192m",
            "-cp",
            RunningMaster.MASTER_JAR.toString(),
            "io.overseer.master.agent.AgentMain",
            "--join",
            "127.0.0.1:" + master.clusterPort,
            "--name",
            name,
            "--config",
            config.toString(),
            "--port",
            String.valueOf(port));
    builder.environment().put("OVERSEER_HOME", home.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    RunningAgent agent = new RunningAgent(name, home, port, builder.start(), log);
    master.remember(agent.process.pid());
    return agent;
  }

  /** Ends this pid too in {@link #close()}. */
  void remember(long pid) {
    pidsSeen.add(pid);
  }

  /** The agent's reaper, the child JVM whose main class is the Reaper. */
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
        .orElseThrow(() -> new IllegalStateException("the agent has no reaper:\n" + logTail()));
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
      return "(no agent log: " + e + ")";
    }
  }

  /** SIGTERM to the agent and waits for it; then SIGKILL to every pid seen that still lives. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (long pid : pidsSeen) {
      ProcessHandle.of(pid)
          .ifPresent(
              handle -> {
                handle.destroyForcibly();
                handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> handle).join();
              });
    }
  }
}
