package io.overseer.master.supervision;

import io.overseer.master.launch.LaunchSpec;
import io.overseer.master.launch.LaunchedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the supervision tests share: an app's settings, a restart policy, a process the test ends.
 */
final class SupervisionFixtures {
  private SupervisionFixtures() {}

  /** A process whose exit the test decides. */
  static final class FakeProcess implements LaunchedProcess {
    final long pid;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    volatile boolean killed;
    volatile boolean stopped;

    FakeProcess(long pid) {
      this.pid = pid;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public CompletionStage<Integer> onExit() {
      return exit;
    }

    @Override
    public CompletionStage<Integer> stop(Duration grace) {
      stopped = true;
      exit.complete(143);
      return exit;
    }

    @Override
    public void kill() {
      killed = true;
      exit.complete(137);
    }
  }

  record Launched(LaunchSpec spec, FakeProcess process) {}

  /**
   * Exit code 0 means done; a minute's window; 5 s min uptime; doubling backoff up to 5 s; 300 ms
   * cool-down.
   */
  static RestartPolicy policy(int maxRestarts, Duration initial) {
    return new RestartPolicy(
        true,
        Set.of(0),
        maxRestarts,
        Duration.ofMinutes(1),
        Duration.ofSeconds(5),
        initial,
        2.0,
        Duration.ofSeconds(5),
        Duration.ZERO,
        Duration.ofMillis(300));
  }

  static AppSettings worker(
      int instances, int spares, Duration readyTimeout, RestartPolicy restart) {
    var launch =
        LaunchTemplate.worker(
            "web",
            "java",
            List.of("-Xmx64m"),
            Duration.ZERO,
            Path.of("/opt/w.jar"),
            "",
            "",
            List.of("--join", "127.0.0.1:25520"),
            Path.of("/etc/overseer.conf"),
            Map.of("MODE", "test"),
            Path.of("/tmp/logs"));
    return new AppSettings(
        "web",
        AppSettings.Mode.WORKER,
        instances,
        spares,
        1,
        Map.of(),
        launch,
        readyTimeout,
        Duration.ofSeconds(1),
        0,
        AppSettings.MemoryKind.RSS,
        restart,
        Duration.ofHours(1),
        Duration.ofHours(2),
        1,
        8);
  }
}
