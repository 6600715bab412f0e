package io.overseer.master.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A job for {@link SchedulesIT}: appends one line, "TRIGGER PID", to the file its arguments name
 * when it starts, then holds its worker for {@code millis} (checking its cancellation). One short
 * append per run: O_APPEND keeps the lines of concurrent workers whole.
 */
public final class TickJob implements Job {
  @Override
  public String name() {
    return "tick";
  }

  @Override
  public JsonNode run(JobContext context) {
    String line = context.trigger() + " " + context.pid() + "\n";
    try {
      Files.write(
          Path.of(context.args().path("file").asText()),
          line.getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long until = System.nanoTime() + context.args().path("millis").asLong() * 1_000_000;
    while (System.nanoTime() < until) {
      context.checkCancelled();
      LockSupport.parkNanos(10_000_000);
    }
    return JsonNodeFactory.instance.objectNode().put("pid", context.pid());
  }
}
