package io.overseer.master.dashboard;

import io.overseer.master.agent.RemoteLogs;
import io.overseer.master.http.AdminRoutes;
import io.overseer.master.http.BadParameter;
import io.overseer.master.logs.LogLine;
import io.overseer.master.logs.LogReader;
import io.overseer.master.logs.LogSources;
import io.overseer.protocol.MasterProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The last lines of one process's logs for the page: the master's own processes' files are read
 * here, an agent's process ({@code web-0@h2}) is asked of its agent through the desk, as {@code
 * overseer logs} does.
 */
final class ProcessLogs {
  /** A process id as status shows it: app, number, maybe spare and host. */
  private static final Pattern PROCESS_ID =
      Pattern.compile("[A-Za-z0-9_.-]{1,100}(@[A-Za-z0-9_.-]{1,100})?");

  private final Path directory;
  private final ActorRef<MasterProtocol.Command> desk;
  private final Scheduler scheduler;
  private final Executor blocking;
  private final Duration timeout;
  private final int lines;

  /**
   * @param directory the master's log directory ($OVERSEER_HOME/logs)
   * @param blocking where the files are read (not on the HTTP dispatcher's threads)
   */
  ProcessLogs(
      Path directory,
      ActorRef<MasterProtocol.Command> desk,
      Scheduler scheduler,
      Executor blocking,
      Duration timeout,
      int lines) {
    this.directory = directory;
    this.desk = desk;
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.timeout = timeout;
    this.lines = lines;
  }

  /**
   * @throws BadParameter if {@code process} is no process id
   */
  CompletionStage<List<LogLine>> lastLines(String process) {
    if (!PROCESS_ID.matcher(process).matches()) {
      throw new BadParameter(
          "process",
          "not a process id such as web-0 or web-0@h2: '" + AdminRoutes.shortened(process) + "'");
    }
    if (process.contains("@")) {
      return AskPattern.<MasterProtocol.Command, RemoteLogs.Answer>ask(
              desk,
              replyTo -> new RemoteLogs.Fetch(process, lines, Map.of(), replyTo),
              timeout,
              scheduler)
          .thenApply(RemoteLogs.Answer::lines);
    }
    return CompletableFuture.supplyAsync(() -> readLocal(process), blocking);
  }

  private List<LogLine> readLocal(String process) {
    try {
      return LogReader.lastLines(LogSources.find(directory, Optional.of(process)), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
