package io.overseer.master.agent;

import io.overseer.master.logs.LogBatches;
import io.overseer.master.logs.LogSources;
import io.overseer.master.logs.RemoteLogSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's side of {@code overseer logs}: its processes' logs stay on its host, and the master
 * asks for their lines over the cluster ({@link AgentProtocol.ReadLogs}). Files are read on the
 * blocking dispatcher, never on the agent actor's thread, and within {@link RemoteLogSettings}.
 */
final class AgentLogs {
  private static final Logger log = LoggerFactory.getLogger(AgentLogs.class);

  private final String host;
  private final Path directory;
  private final RemoteLogSettings limits;
  private final Executor blocking;

  /**
   * @param directory this agent's $OVERSEER_HOME/logs
   * @param blocking where files are read
   */
  AgentLogs(String host, Path directory, RemoteLogSettings limits, Executor blocking) {
    this.host = host;
    this.directory = directory;
    this.limits = limits;
    this.blocking = blocking;
  }

  /** Reads and answers the request's {@code replyTo}, later, from the blocking dispatcher. */
  void read(AgentProtocol.ReadLogs request) {
    CompletableFuture.runAsync(() -> request.replyTo().tell(answer(request)), blocking);
  }

  AgentProtocol.LogLines answer(AgentProtocol.ReadLogs request) {
    try {
      LogBatches.Batch batch =
          LogBatches.read(
              LogSources.find(
                  directory,
                  request.app().isEmpty() ? Optional.empty() : Optional.of(request.app())),
              request.lines(),
              request.after(),
              limits);
      return new AgentProtocol.LogLines(
          host,
          batch.lines().stream()
              .map(
                  line ->
                      new AgentProtocol.ShippedLine(
                          line.time().toEpochMilli(), line.source(), line.text()))
              .toList(),
          batch.next(),
          batch.leftOut());
    } catch (IOException | UncheckedIOException e) {
      log.warn("the logs in {} could not be read for the master: {}", directory, e.toString());
      return new AgentProtocol.LogLines(
          host, List.of(), request.after() == null ? LogBatches.Cursor.START : request.after(), 0);
    }
  }
}
