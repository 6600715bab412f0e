package io.overseer.master.launch;

import io.overseer.master.logs.LogSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the {@link Reaper} beside this master and keeps one running: a reaper that dies while the
 * master lives is started again after {@link OrphanSettings#reaperRestartDelay()} (and said in the
 * log). Its stdin is a pipe this JVM never writes to nor closes, so that it closes exactly when
 * this JVM ends. Its output goes where the master's goes.
 */
public final class ReaperSidecar {
  private static final Logger log = LoggerFactory.getLogger(ReaperSidecar.class);

  private final OrphanSettings settings;
  private final ProcessRegistry registry;
  private final Path consoleLog;
  private final LogSettings logs;
  private volatile boolean stopping;
  private volatile Process reaper;

  /**
   * @param consoleLog the master's console file, or null if its console is not redirected into one
   */
  public ReaperSidecar(
      OrphanSettings settings, ProcessRegistry registry, Path consoleLog, LogSettings logs) {
    this.settings = settings;
    this.registry = registry;
    this.consoleLog = consoleLog;
    this.logs = logs;
  }

  /**
   * Starts the reaper; throws if it cannot be started at all, as the master must not run without
   * one.
   */
  public void start() throws IOException {
    Process started =
        new ProcessBuilder(command())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    reaper = started;
    log.info(
        "reaper pid {} started: it stops this master's processes if the master dies",
        started.pid());
    started.onExit().thenRun(() -> exited(started));
  }

  /** The master is stopping on purpose: a reaper that exits now is not replaced. */
  public void stopping() {
    stopping = true;
  }

  private void exited(Process previous) {
    if (stopping) {
      return;
    }
    log.warn(
        "reaper pid {} exited with {} while the master lives; starting another in {}",
        previous.pid(),
        previous.exitValue(),
        settings.reaperRestartDelay());
    startLater();
  }

  private void startLater() {
    CompletableFuture.runAsync(
        () -> {
          if (stopping) {
            return;
          }
          try {
            start();
          } catch (IOException e) {
            log.error(
                "cannot start a new reaper; trying again in {}", settings.reaperRestartDelay(), e);
            startLater();
          }
        },
        CompletableFuture.delayedExecutor(
            settings.reaperRestartDelay().toMillis(), TimeUnit.MILLISECONDS));
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(settings.reaperJvmOptions());
    // This JVM's class path: the master jar when run with -jar, the build's classes in tests.
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Reaper.class.getName(),
            registry.directory().toString(),
            Long.toString(ProcessHandle.current().pid()),
            Long.toString(settings.killGrace().toMillis())));
    if (consoleLog != null) {
      command.addAll(
          List.of(
              consoleLog.toString(),
              Long.toString(logs.maxFileBytes()),
              Integer.toString(logs.maxFiles()),
              Integer.toString(logs.maxLineBytes())));
    }
    return command;
  }
}
