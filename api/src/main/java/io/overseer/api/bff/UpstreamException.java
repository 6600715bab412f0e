package io.overseer.api.bff;

/**
 * An upstream call that failed, with the upstream named and the cause in the words the 502 body and
 * the {@code partial} list use: {@code timeout}, {@code connection refused}, {@code connection
 * failed}, {@code bad status <code>}, {@code malformed JSON}, {@code JSON too deep}, {@code
 * response too large}, {@code circuit open}, {@code unresolved {ref}}, {@code dependency <name>
 * failed}.
 *
 * <p>A {@link BffHandler} may let it escape, or raise one itself; the engine then answers 502
 * naming the upstream and cause:
 *
 * <pre>{@code
 * if (!profile.has("id")) {
 *   throw new UpstreamException("profiles", "no id in the profile");
 * }
 * }</pre>
 */
public class UpstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String upstream;
  private final String reason;

  /** The upstream's HTTP status for a bad status, else 0. */
  private final int status;

  /**
   * The route answers with {@link #status} itself (the upstream's {@code pass-statuses}), not 502.
   */
  private final boolean passed;

  /** A failure a handler raises itself. */
  public UpstreamException(String upstream, String reason) {
    this(upstream, reason, 0, false);
  }

  /** For the engine's own failures, which also carry the upstream's status. */
  protected UpstreamException(String upstream, String reason, int status, boolean passed) {
    // No stack trace: these are expected outcomes on the hot path, explained fully by their fields.
    super(upstream + ": " + reason, null, false, false);
    this.upstream = upstream;
    this.reason = reason;
    this.status = status;
    this.passed = passed;
  }

  /** The upstream's name in the route (or {@code host:port} for a handler's call). */
  public String upstream() {
    return upstream;
  }

  /** The cause, in the documented words. */
  public String reason() {
    return reason;
  }

  /** The upstream's HTTP status when it answered one that is not 2xx; 0 for every other failure. */
  public int status() {
    return status;
  }

  /** Whether the route answers with the upstream's own {@link #status()} rather than 502. */
  public boolean passed() {
    return passed;
  }
}
