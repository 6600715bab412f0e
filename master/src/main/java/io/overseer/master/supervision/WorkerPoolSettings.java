package io.overseer.master.supervision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code overseer.workers} section: how many worker JVMs to run and how to start and stop them.
 *
 * @param javaCommand the java executable for workers
 * @param jvmOptions options placed before {@code -jar}
 * @param workerJar the worker jar
 * @param seedHostPort the master's cluster address the workers join
 * @param logDirectory where each worker's output file goes
 * @param readyTimeout a worker that has not sent Ready by then is killed and started again
 * @param restartDelay pause before starting a worker whose process exited
 * @param killTimeout time between SIGTERM and SIGKILL when stopping a worker
 */
public record WorkerPoolSettings(
    int instances,
    String javaCommand,
    List<String> jvmOptions,
    Path workerJar,
    String seedHostPort,
    Path logDirectory,
    Duration readyTimeout,
    Duration restartDelay,
    Duration killTimeout) {

  public WorkerPoolSettings {
    jvmOptions = List.copyOf(jvmOptions);
    if (instances < 0) {
      throw new IllegalArgumentException("overseer.workers.instances must be >= 0, got " + instances);
    }
  }

  /** The argument array for worker {@code workerId}: no shell, every element passed as is. */
  public List<String> argvFor(String workerId) {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(javaCommand);
    argv.addAll(jvmOptions);
    argv.addAll(
        List.of("-jar", workerJar.toString(), "--join", seedHostPort, "--id", workerId, "--watch-stdin"));
    return argv;
  }
}
