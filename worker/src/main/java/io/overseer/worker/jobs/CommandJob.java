package io.overseer.worker.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs a command job, as Node's {@code execFile}: the argument array as it is (no shell), in its
 * directory with its extra environment, stdin closed; stdout and stderr captured up to {@code
 * max-output-size} each (the rest read and dropped, so that a chatty program never blocks on a full
 * pipe); the exit code reported; the arguments in {@code $OVERSEER_JOB_ARGS} as JSON, the request's
 * id in {@code $OVERSEER_REQUEST_ID}. A cancellation (deadline, Cancel) kills the process tree.
 */
final class CommandJob {
  private static final int BUFFER = 8192;

  /** The environment variable that holds the run's arguments, a JSON object. */
  static final String ARGS_VARIABLE = "OVERSEER_JOB_ARGS";

  /** The environment variable that says who asked for the run (JobContext.trigger()). */
  static final String TRIGGER_VARIABLE = "OVERSEER_JOB_TRIGGER";

  private CommandJob() {}

  /**
   * Blocks the calling pool thread until the process ends.
   *
   * @param grace how long to wait, after the process ended, for output still held by a descendant
   *     that keeps the pipes open
   */
  static Outcome run(JobRun run, long maxOutputBytes, Duration grace) throws InterruptedException {
    WorkerProtocol.JobCommand command = run.request.command();
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    if (!command.cwd().isEmpty()) {
      builder.directory(new File(command.cwd()));
    }
    builder.environment().putAll(command.env());
    // The run's arguments reach the program as data, never as words of a command line.
    builder.environment().put(ARGS_VARIABLE, run.request.argsJson());
    builder.environment().put(TRIGGER_VARIABLE, run.request.trigger());
    builder.environment().put(RequestLog.ENV, run.request.correlationId());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Outcome.failed("cannot start " + command.argv().get(0) + ": " + e.getMessage());
    }
    Capture out = Capture.start(process.getInputStream(), maxOutputBytes, run.name() + "-stdout");
    Capture err = Capture.start(process.getErrorStream(), maxOutputBytes, run.name() + "-stderr");
    // Killed at once if cancelled while it started; then reported like any cancelled run.
    run.attach(process);
    int exit = process.waitFor();
    out.thread.join(grace.toMillis());
    err.thread.join(grace.toMillis());
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("exitCode", exit);
    result.put("pid", process.pid());
    result.put("stdout", out.text());
    result.put("stderr", err.text());
    result.put("truncated", out.truncated() || err.truncated());
    String json = result.toString();
    if (run.cancelled()) {
      return Outcome.cancelled(run.cancelReason() + "; process killed").withResult(json);
    }
    return exit == 0
        ? Outcome.succeeded(json)
        : Outcome.failed("exit code " + exit).withResult(json);
  }

  /** One output stream read to its end on a thread of its own, the first bytes kept. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final long max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;
    private Thread thread;

    private Capture(InputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    static Capture start(InputStream in, long max, String name) {
      Capture capture = new Capture(in, max);
      capture.thread = new Thread(capture, "overseer-job-" + name);
      capture.thread.setDaemon(true);
      capture.thread.start();
      return capture;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[BUFFER];
      try (in) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (this) {
            int keep = (int) Math.max(0, Math.min(n, max - total));
            kept.write(buffer, 0, keep);
            total += n;
          }
        }
      } catch (IOException e) {
        // The process was killed, or the stream closed under us: what was read is what there is.
      }
    }

    synchronized String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
      return total > max;
    }
  }
}
