package io.overseer.worker.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.api.jobs.JobContext;
import io.overseer.api.messaging.Messages;
import io.overseer.worker.logging.RequestLogger;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a Java job sees of its run. */
final class JobContextImpl implements JobContext {
  private final JobRun run;
  private final JsonNode args;
  private final long pid;
  private final Logger logger;
  private final Messages messages;

  JobContextImpl(JobRun run, JsonNode args, long pid, Messages messages) {
    this.messages = messages;
    this.run = run;
    this.args = args;
    this.pid = pid;
    // A job may log from threads of its own: the logger carries the request id on each of them.
    this.logger =
        RequestLogger.of(
            LoggerFactory.getLogger("io.overseer.jobs." + run.name()), run.request.correlationId());
  }

  @Override
  public String job() {
    return run.name();
  }

  @Override
  public String trigger() {
    return run.request.trigger();
  }

  @Override
  public String requestId() {
    return run.request.correlationId();
  }

  @Override
  public JsonNode args() {
    return args;
  }

  @Override
  public Instant deadline() {
    return run.deadline;
  }

  @Override
  public boolean isCancelled() {
    return run.cancelled();
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public Messages messages() {
    return messages;
  }

  @Override
  public long pid() {
    return pid;
  }
}
