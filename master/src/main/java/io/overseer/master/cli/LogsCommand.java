package io.overseer.master.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.master.logs.LogFollower;
import io.overseer.master.logs.LogLine;
import io.overseer.master.logs.LogReader;
import io.overseer.master.logs.LogSources;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code logs [APP] [-n N] [-f] [--json]}: reads the log files directly, the master need not run.
 */
final class LogsCommand {
  /** The prefix as the log files have it, so that a line reads as it was written. */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Paces {@code -f}: waits until the next poll is due; false ends following. */
  @FunctionalInterface
  interface Pacer {
    boolean awaitNextPoll();
  }

  /**
   * Polls every {@code interval} (overseer.cli.follow-interval) until the thread is interrupted.
   */
  static Pacer every(Duration interval) {
    return () -> {
      LockSupport.parkNanos(interval.toNanos());
      return !Thread.currentThread().isInterrupted();
    };
  }

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final Pacer pacer;
  private int labelWidth;
  private Remote remote;
  private String after = "";

  /**
   * @param pacer what {@code -f} waits with between polls; tests pass one that does not wait
   */
  LogsCommand(PrintStream out, PrintStream err, boolean json, Pacer pacer) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.pacer = pacer;
  }

  /**
   * The lines of the agents' processes, which stay on their hosts: fetched through the master
   * ({@code GET /_admin/logs}).
   */
  interface Remote {
    /**
     * @param lines how many of the last lines, for hosts not yet read
     * @param after "" at first; then the {@link Fetched#after()} of the fetch before
     */
    Fetched fetch(int lines, String after) throws CliException;
  }

  /**
   * @param notes what the reader should know: an agent that did not answer, lines left out
   */
  record Fetched(List<LogLine> lines, String after, List<String> notes) {}

  /** Prints the last lines; with {@code follow}, then every new line until the pacer says stop. */
  int run(Path directory, Optional<String> app, int lines, boolean follow) throws CliException {
    return run(directory, app, lines, follow, Optional.empty());
  }

  /**
   * As {@link #run(Path, Optional, int, boolean)}, with the agents' processes too (merged by time)
   * when {@code remote} is given; if the master cannot give them, that is said once on stderr and
   * the local logs are shown as before.
   */
  int run(Path directory, Optional<String> app, int lines, boolean follow, Optional<Remote> remote)
      throws CliException {
    this.remote = remote.orElse(null);
    List<LogFollower> followers = new ArrayList<>();
    try {
      Map<String, Path> sources = LogSources.find(directory, app);
      if (follow) {
        // Following starts before the last lines are read: a line written in between may then show
        // twice, but none written after the last lines can be missed.
        followers.add(new LogFollower(sources));
      }
      List<LogLine> last = withRemote(LogReader.lastLines(sources, lines), lines);
      last = last.subList(Math.max(0, last.size() - lines), last.size());
      if (last.isEmpty() && !follow) {
        err.println(
            "no log lines" + app.map(a -> " for app '" + a + "'").orElse("") + " in " + directory);
      }
      print(last);
      while (follow && pacer.awaitNextPoll()) {
        print(withRemote(poll(directory, app, sources, followers), 0));
      }
    } catch (IOException | UncheckedIOException e) {
      throw CliException.failure("cannot read the logs in " + directory + ": " + e);
    } finally {
      close(followers);
    }
    return 0;
  }

  /**
   * What was appended since the last poll, including the logs of processes started meanwhile (an
   * instance scaled up, a spare, an app's first start): the directory is listed again each time.
   */
  private static List<LogLine> poll(
      Path directory, Optional<String> app, Map<String, Path> known, List<LogFollower> followers)
      throws IOException {
    Map<String, Path> appeared = new LinkedHashMap<>(LogSources.find(directory, app));
    appeared.keySet().removeAll(known.keySet());
    List<LogLine> lines = new ArrayList<>();
    for (LogFollower follower : followers) {
      lines.addAll(follower.poll());
    }
    if (!appeared.isEmpty()) {
      known.putAll(appeared);
      followers.add(new LogFollower(appeared));
      // Created since the last listing, so all of it is new; a follower starts at the end.
      lines.addAll(LogReader.lastLines(appeared, Integer.MAX_VALUE));
    }
    if (followers.size() > 1) {
      lines.sort(
          Comparator.comparing(LogLine::time)); // stable: each follower's order is kept on ties
    }
    return lines;
  }

  /** The local lines with the agents' merged in by time (stable: local first on ties). */
  private List<LogLine> withRemote(List<LogLine> local, int lines) {
    if (remote == null) {
      return local;
    }
    Fetched fetched;
    try {
      fetched = remote.fetch(lines, after);
    } catch (CliException e) {
      err.println("note: the agents' logs are not shown: " + e.getMessage());
      remote = null;
      return local;
    }
    after = fetched.after();
    fetched.notes().forEach(note -> err.println("note: " + note));
    if (fetched.lines().isEmpty()) {
      return local;
    }
    List<LogLine> merged = new ArrayList<>(local);
    merged.addAll(fetched.lines());
    merged.sort(Comparator.comparing(LogLine::time));
    return merged;
  }

  private void print(List<LogLine> lines) {
    for (LogLine line : lines) {
      labelWidth = Math.max(labelWidth, line.source().length());
    }
    for (LogLine line : lines) {
      // Shown as "web-0 out", as the CLI always has; "web-0/out" is the logs package's spelling.
      out.println(
          json
              ? toJson(line)
              : String.format(
                  "%-" + labelWidth + "s | %s", line.source().replace('/', ' '), withStamp(line)));
    }
    out.flush();
  }

  /** The line with its time in front, as in the file; a line read before any time was has none. */
  private static String withStamp(LogLine line) {
    if (line.time().equals(Instant.EPOCH)) {
      return line.text();
    }
    String stamp = STAMP.format(line.time());
    return line.text().isEmpty() ? stamp : stamp + " " + line.text();
  }

  private static String toJson(LogLine line) {
    Optional<LogSources.Source> source = LogSources.Source.of(line.source());
    ObjectNode node =
        JSON.createObjectNode()
            .put("time", line.time().toString())
            .put("source", line.source())
            .put("app", source.map(LogSources.Source::app).orElse(null))
            .put(
                "instance",
                source.filter(s -> !s.spare()).map(LogSources.Source::number).orElse(null))
            .put("stream", source.map(LogSources.Source::stream).orElse(null))
            .put("message", line.text());
    // An agent's process: its host (the master's own have none, as before agents existed).
    source
        .map(LogSources.Source::host)
        .filter(h -> !h.isEmpty())
        .ifPresent(h -> node.put("host", h));
    return node.toString();
  }

  private static void close(List<LogFollower> followers) {
    for (LogFollower follower : followers) {
      try {
        follower.close();
      } catch (IOException e) {
        // Only files opened for reading: nothing is lost by not closing one cleanly.
      }
    }
  }
}
