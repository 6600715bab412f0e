package io.overseer.master.launch;

import io.overseer.master.logs.ConsoleLog;
import io.overseer.master.logs.LogSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The reaper: a small JVM the master starts beside itself, whose stdin is a pipe only the master
 * holds. It does nothing until that pipe reaches end-of-file, which happens when the master is
 * gone, however it died (SIGKILL and OOM-kill included: the kernel closes a dead process's files).
 * Then it stops every process the registry says this master launched, with descendants and sessions
 * ({@link ProcessSweeper}), and exits.
 *
 * <p>Arguments: {@code REGISTRY_DIR MASTER_PID KILL_GRACE_MS [CONSOLE_LOG MAX_FILE_BYTES MAX_FILES
 * MAX_LINE_BYTES]}; the console log is given when the master's own console goes to a rotated file.
 */
public final class Reaper {
  /**
   * Initialised at start, not when the master dies: the sweep then begins without loading logback.
   */
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private static final int READ_BLOCK_BYTES = 64;
  private static final int WITH_CONSOLE_LOG = 7;

  private Reaper() {}

  public static void main(String[] args) {
    Path registry = Path.of(args[0]);
    long master = Long.parseLong(args[1]);
    Duration grace = Duration.ofMillis(Long.parseLong(args[2]));
    // Ctrl-C and a closed terminal signal the whole foreground process group, the reaper included:
    // it must outlive the master's graceful stop, not end before it, so only the pipe ends it.
    for (String signal : new String[] {"INT", "HUP"}) {
      Signal.handle(new Signal(signal), SignalHandler.SIG_IGN);
    }
    // Loaded now, while nothing is urgent (JSON reading, /proc parsing): once the master is gone,
    // every millisecond until the first SIGTERM is a millisecond its processes live on unwatched.
    ProcessRegistry.warmUp();
    ProcStat.all();
    awaitEndOfFile(System.in);
    if (args.length == WITH_CONSOLE_LOG) {
      // Opened only now: the master may have rotated the file many times meanwhile, and a file
      // opened at start would by now be one of the rotated copies.
      try {
        ConsoleLog.takeOver(
            Path.of(args[3]),
            new LogSettings(
                Long.parseLong(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6])));
      } catch (IOException e) {
        // The sweep matters more than where it is told: the inherited console still works.
        log.error("reaper: cannot open {}; logging to the console instead", args[3], e);
      }
    }
    ProcessSweeper.Outcome outcome =
        ProcessSweeper.sweep(
            new ProcessRegistry(registry), entry -> entry.master() == master, grace);
    if (!outcome.stopped().isEmpty()) {
      log.warn(
          "reaper: master pid {} is gone; stopped what it had left running: {}",
          master,
          outcome.stopped().stream().map(e -> e.id() + " (pid " + e.pid() + ")").toList());
    }
    System.exit(0);
  }

  /** The master never writes: a read returns only at end-of-file (or when the pipe breaks). */
  private static void awaitEndOfFile(InputStream in) {
    byte[] block = new byte[READ_BLOCK_BYTES];
    try {
      while (in.read(block) >= 0) {
        // nothing is expected on the pipe; whatever comes is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same as end-of-file: the master is gone
    }
  }
}
