package io.overseer.master.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one worker process: an argument array (never a shell line), its environment
 * additions, and the file its stdout and stderr go to.
 */
public record LaunchSpec(String workerId, List<String> argv, Map<String, String> env, Path logFile) {
  public LaunchSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }
}
