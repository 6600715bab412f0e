package io.overseer.master.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import io.overseer.master.logs.LogSettings;
import io.overseer.master.logs.OutputPump;
import io.overseer.master.logs.RotatingLogFile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Starts real OS processes from an argument array with {@link ProcessBuilder}: no shell ever sees
 * the configuration. Each output stream is pumped by a thread of its own into a rotated,
 * timestamped log file, so a process that floods its output can neither fill the disk nor block
 * the master (only itself, if the disk is slower than its printing).
 */
public final class OsProcessLauncher implements ProcessLauncher {
  private final LogSettings logs;
  private final Clock clock;

  public OsProcessLauncher(LogSettings logs, Clock clock) {
    this.logs = logs;
    this.clock = clock;
  }

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    Files.createDirectories(spec.stdoutLog().getParent());
    ProcessBuilder builder = new ProcessBuilder(spec.argv());
    builder.environment().putAll(spec.env());
    if (spec.cwd() != null) {
      builder.directory(spec.cwd().toFile());
    }
    RotatingLogFile out = new RotatingLogFile(spec.stdoutLog(), logs, clock);
    RotatingLogFile err = new RotatingLogFile(spec.stderrLog(), logs, clock);
    // stdin stays a pipe whose write end only this JVM holds: when the master dies, even by
    // SIGKILL, the worker reads end-of-file and exits (see the worker's --watch-stdin).
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      out.close();
      err.close();
      throw e;
    }
    OutputPump.start(process.getInputStream(), out, logs, "log-" + spec.processId() + "-out");
    OutputPump.start(process.getErrorStream(), err, logs, "log-" + spec.processId() + "-err");
    return new OsProcess(process);
  }

  private record OsProcess(Process process) implements LaunchedProcess {
    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public CompletionStage<Integer> onExit() {
      return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public CompletionStage<Integer> stop(Duration grace) {
      // The tree is listed before any signal: once the parent is gone its children are reparented
      // and can no longer be found from it (a command app's children must not be orphaned).
      List<ProcessHandle> tree = treeOf(process.toHandle());
      // Through the handles: Process.destroy() would also close a worker's stdin, which the worker
      // takes as "master gone" and halts at once instead of shutting down gracefully.
      tree.forEach(ProcessHandle::destroy);
      CompletableFuture<Integer> exited = process.onExit().thenApply(Process::exitValue);
      // copy(): completeOnTimeout completes the future it is called on, and `exited` must stay true.
      return exited
          .copy()
          .completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS)
          .thenCompose(code -> {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            return code != null ? CompletableFuture.completedFuture(code) : exited;
          })
          .whenComplete((code, error) -> closeQuietly(process.getOutputStream()));
    }

    @Override
    public void kill() {
      treeOf(process.toHandle()).forEach(ProcessHandle::destroyForcibly);
    }

    /** The process and all its descendants, parent first. */
    private static List<ProcessHandle> treeOf(ProcessHandle root) {
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(root);
      root.descendants().forEach(tree::add);
      return tree;
    }

    private static void closeQuietly(OutputStream stdin) {
      try {
        stdin.close();
      } catch (IOException e) {
        // The process is gone; its pipe may already be broken. Nothing is lost.
      }
    }
  }
}
