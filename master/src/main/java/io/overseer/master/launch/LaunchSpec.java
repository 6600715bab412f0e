package io.overseer.master.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one process: an argument array (never a shell line), its environment additions,
 * its working directory (null: the master's), and the files its stdout and stderr go to.
 */
public record LaunchSpec(
    String processId, List<String> argv, Map<String, String> env, Path cwd, Path stdoutLog, Path stderrLog) {
  public LaunchSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }
}
