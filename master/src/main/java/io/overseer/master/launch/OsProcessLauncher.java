package io.overseer.master.launch;

import io.overseer.master.logs.LogSettings;
import io.overseer.master.logs.OutputPump;
import io.overseer.master.logs.RotatingLogFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts real OS processes from an argument array with {@link ProcessBuilder}: no shell ever sees
 * the configuration. Each output stream is pumped by a thread of its own into a rotated,
 * timestamped log file, so a process that floods its output can neither fill the disk nor block the
 * master (only itself, if the disk is slower than its printing).
 *
 * <p>No orphans: every process is recorded in the {@link ProcessRegistry} (pid and start ticks)
 * until it has exited, for the reaper and the next master. A spec that asks for its own session is
 * launched through util-linux {@code setsid}: Java's child is not a process-group leader, so setsid
 * just calls setsid() and execs the command in place (same pid, same pipes), and the process and
 * all it starts share session id == its pid. What is left in that session when it exits is stopped.
 */
public final class OsProcessLauncher implements ProcessLauncher {
  private static final Logger log = LoggerFactory.getLogger(OsProcessLauncher.class);

  private final LogSettings logs;
  private final Clock clock;
  private final OrphanSettings orphans;
  private final ProcessRegistry registry;
  private final boolean setsid;

  public OsProcessLauncher(
      LogSettings logs, Clock clock, OrphanSettings orphans, ProcessRegistry registry) {
    this.logs = logs;
    this.clock = clock;
    this.orphans = orphans;
    this.registry = registry;
    this.setsid = orphans.setsidAvailable();
    if (!setsid) {
      log.warn(
          "setsid not found at '{}' (overseer.orphans.setsid): command apps are launched without a session"
              + " of their own, so a child that outlives its app is not stopped with it",
          orphans.setsid());
    }
  }

  @Override
  public LaunchedProcess launch(LaunchSpec spec) throws IOException {
    Files.createDirectories(spec.stdoutLog().getParent());
    boolean ownSession = spec.ownSession() && setsid;
    List<String> argv = new ArrayList<>();
    if (ownSession) {
      argv.add(orphans.setsid());
    }
    argv.addAll(spec.argv());
    ProcessBuilder builder = new ProcessBuilder(argv);
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
    record(spec.processId(), process, ownSession);
    OutputPump.start(process.getInputStream(), out, logs, "log-" + spec.processId() + "-out");
    OutputPump.start(process.getErrorStream(), err, logs, "log-" + spec.processId() + "-err");
    return new OsProcess(process, ownSession);
  }

  /**
   * Records the process until it has exited. A session leader's exit may leave members behind (a
   * background child, a double-forked daemon): they are stopped before the entry goes, so that a
   * crash of the master meanwhile still finds them through it.
   */
  private void record(String processId, Process process, boolean ownSession) {
    long pid = process.pid();
    // Start ticks are set at fork and kept across setsid's exec; read now, the pid cannot be reused
    // yet.
    ProcStat.read(pid)
        .ifPresent(
            stat ->
                registry.record(
                    new ProcessRegistry.Entry(
                        processId,
                        pid,
                        stat.startTicks(),
                        ownSession,
                        ProcessHandle.current().pid())));
    process
        .onExit()
        .thenCompose(
            exited -> {
              List<ProcessHandle> left =
                  ownSession ? ProcessSweeper.sessionMembers(pid) : List.of();
              if (left.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              log.info(
                  "{} (pid {}) exited leaving {} in its session: stopping them",
                  processId,
                  pid,
                  left.stream().map(ProcessHandle::pid).toList());
              return ProcessSweeper.terminate(left, pid, orphans.killGrace());
            })
        .whenComplete((done, error) -> registry.remove(pid));
  }

  private record OsProcess(Process process, boolean ownSession) implements LaunchedProcess {
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
      // and can no longer be found from it (only through its session, if it leads one).
      List<ProcessHandle> tree = ProcessSweeper.members(process.pid(), ownSession);
      // Through the handles (ProcessSweeper signals ProcessHandles): Process.destroy() would also
      // close a worker's stdin, which the worker takes as "master gone" and halts at once instead
      // of shutting down gracefully. Every member gets the whole grace, then SIGKILL.
      CompletableFuture<Integer> exited = process.onExit().thenApply(Process::exitValue);
      return ProcessSweeper.terminate(tree, ownSession ? process.pid() : 0, grace)
          .thenCompose(allGone -> exited)
          .whenComplete((code, error) -> closeQuietly(process.getOutputStream()));
    }

    @Override
    public void kill() {
      ProcessSweeper.members(process.pid(), ownSession).forEach(ProcessHandle::destroyForcibly);
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
