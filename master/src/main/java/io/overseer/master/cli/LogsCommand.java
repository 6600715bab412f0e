package io.overseer.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/** {@code logs [APP] [-n N] [-f] [--json]}: reads the log files directly, the master need not run. */
final class LogsCommand {
  /** How often {@code -f} looks for new lines: prompt to a reader, idle for the disk. */
  private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private int labelWidth;

  LogsCommand(PrintStream out, PrintStream err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** Prints the last lines; with {@code follow}, then every new line until the process ends. */
  int run(Path directory, Optional<String> app, int lines, boolean follow) throws CliException {
    LogTail tail = new LogTail(directory, app);
    try {
      List<LogTail.Line> last = tail.last(lines);
      if (last.isEmpty() && !follow) {
        err.println("no log lines" + app.map(a -> " for app '" + a + "'").orElse("") + " in " + directory);
      }
      print(last);
      while (follow && !Thread.currentThread().isInterrupted()) {
        LockSupport.parkNanos(FOLLOW_INTERVAL.toNanos());
        print(tail.poll());
      }
    } catch (IOException e) {
      throw CliException.failure("cannot read the logs in " + directory + ": " + e);
    }
    return 0;
  }

  private void print(List<LogTail.Line> lines) {
    for (LogTail.Line line : lines) {
      labelWidth = Math.max(labelWidth, line.source().label().length());
    }
    for (LogTail.Line line : lines) {
      out.println(json ? toJson(line)
          : String.format("%-" + labelWidth + "s | %s", line.source().label(), line.text()));
    }
    out.flush();
  }

  private static String toJson(LogTail.Line line) {
    ObjectNode node = JSON.createObjectNode()
        .put("time", line.time().toString())
        .put("app", line.source().app())
        .put("instance", line.source().instance())
        .put("stream", line.source().stream())
        .put("message", line.message());
    return node.toString();
  }
}
