package io.overseer.master.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one process: an argument array (never a shell line), its environment additions, its
 * working directory (null: the master's), and the files its stdout and stderr go to.
 *
 * @param ownSession launch it as the leader of a new session (through setsid), so that everything
 *     it starts, even what outlives it, can be found and stopped with it: command apps, which may
 *     spawn anything. Worker JVMs start nothing and end themselves when the master's pipe closes.
 */
public record LaunchSpec(
    String processId,
    List<String> argv,
    Map<String, String> env,
    Path cwd,
    Path stdoutLog,
    Path stderrLog,
    boolean ownSession) {
  public LaunchSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** A process in the master's session. */
  public LaunchSpec(
      String processId,
      List<String> argv,
      Map<String, String> env,
      Path cwd,
      Path stdoutLog,
      Path stderrLog) {
    this(processId, argv, env, cwd, stdoutLog, stderrLog, false);
  }
}
