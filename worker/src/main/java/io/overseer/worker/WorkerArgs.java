package io.overseer.worker;

import java.util.Arrays;
import java.util.List;

/**
 * The worker's command line.
 *
 * @param join host:port of the master's cluster node (the seed)
 * @param app the app this worker belongs to; empty lets the master choose its default worker app
 * @param id the worker id; the master passes one, a worker started by hand gets {@code ext-<pid>}
 * @param host the address this worker's node binds and advertises
 * @param port the cluster port, 0 for any free one
 * @param watchStdin exit when stdin reaches end-of-file: set by the master, whose death closes the pipe
 * @param config the Overseer configuration file (its BFF routes), or null for none
 */
public record WorkerArgs(String join, String app, String id, String host, int port, boolean watchStdin,
    java.nio.file.Path config) {

  static final String USAGE =
      "usage: java -jar overseer-worker.jar --join HOST:PORT [--app APP] [--id ID] [--host HOST] [--port PORT]"
          + " [--watch-stdin] [--config FILE]";

  /** Thrown for a command line that cannot be used; the message names the problem. */
  public static final class BadArguments extends RuntimeException {
    BadArguments(String message) {
      super(message);
    }
  }

  public static WorkerArgs parse(String[] argv, long pid) {
    List<String> args = Arrays.asList(argv);
    String join = null;
    String app = "";
    String id = "ext-" + pid;
    String host = "127.0.0.1";
    int port = 0;
    boolean watchStdin = false;
    java.nio.file.Path config = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--join" -> join = valueOf(args, ++i, arg);
        case "--app" -> app = valueOf(args, ++i, arg);
        case "--id" -> id = valueOf(args, ++i, arg);
        case "--host" -> host = valueOf(args, ++i, arg);
        case "--port" -> port = portOf(valueOf(args, ++i, arg));
        case "--watch-stdin" -> watchStdin = true;
        case "--config" -> config = java.nio.file.Path.of(valueOf(args, ++i, arg)).toAbsolutePath();
        default -> throw new BadArguments("unknown argument: " + arg);
      }
    }
    if (join == null) {
      throw new BadArguments("--join HOST:PORT is required");
    }
    if (!join.matches("[^:\\s]+:\\d{1,5}")) {
      throw new BadArguments("--join must be HOST:PORT, got: " + join);
    }
    if (config != null && !java.nio.file.Files.isRegularFile(config)) {
      throw new BadArguments("--config: no such file: " + config);
    }
    return new WorkerArgs(join, app, id, host, port, watchStdin, config);
  }

  private static String valueOf(List<String> args, int index, String flag) {
    if (index >= args.size()) {
      throw new BadArguments(flag + " needs a value");
    }
    return args.get(index);
  }

  private static int portOf(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65_535) {
        throw new BadArguments("--port must be 0..65535, got: " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new BadArguments("--port must be a number, got: " + value);
    }
  }
}
