package io.overseer.api.jobs;

/**
 * Fails a job with a message meant for its caller: the HTTP answer, the CLI and the schedule
 * history show it as the cause, as it is.
 *
 * <pre>{@code
 * if (!context.args().has("file")) {
 *   throw new JobException("no file given");
 * }
 * }</pre>
 */
public class JobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobException(String message) {
    super(message);
  }

  public JobException(String message, Throwable cause) {
    super(message, cause);
  }
}
