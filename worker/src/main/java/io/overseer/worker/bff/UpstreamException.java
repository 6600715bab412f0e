package io.overseer.worker.bff;

/**
 * An upstream call that failed, with the upstream named and the cause in the words the 502 body and
 * the {@code partial} list use: {@code timeout}, {@code connection refused}, {@code connection
 * failed}, {@code bad status <code>}, {@code malformed JSON}, {@code JSON too deep}, {@code
 * response too large}, {@code circuit open}, {@code unresolved {ref}}, {@code dependency <name>
 * failed}.
 *
 * <p>A {@link BffHandler} may let it escape: the engine then answers 502 naming the upstream and
 * cause.
 */
public final class UpstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String upstream;
  private final String reason;

  /** Worth another attempt on an idempotent call: the host may answer next time. */
  private final boolean transient_;

  /** Evidence that the host is down or overloaded, counted by its circuit breaker. */
  private final boolean hostFault;

  /** The upstream's HTTP status for a bad status, else 0. */
  private final int status;

  /**
   * The route answers with {@link #status} itself (the upstream's {@code pass-statuses}), not 502.
   */
  private final boolean passed;

  /** A failure a handler raises itself; it neither retries nor counts against a host. */
  public UpstreamException(String upstream, String reason) {
    this(upstream, reason, false, false);
  }

  UpstreamException(String upstream, String reason, boolean transient_, boolean hostFault) {
    this(upstream, reason, transient_, hostFault, 0, false);
  }

  private UpstreamException(
      String upstream,
      String reason,
      boolean transient_,
      boolean hostFault,
      int status,
      boolean passed) {
    // No stack trace: these are expected outcomes on the hot path, explained fully by their fields.
    super(upstream + ": " + reason, null, false, false);
    this.upstream = upstream;
    this.reason = reason;
    this.transient_ = transient_;
    this.hostFault = hostFault;
    this.status = status;
    this.passed = passed;
  }

  static UpstreamException timeout(String upstream) {
    return new UpstreamException(upstream, "timeout", true, true);
  }

  static UpstreamException refused(String upstream) {
    return new UpstreamException(upstream, "connection refused", true, true);
  }

  static UpstreamException connectionFailed(String upstream) {
    return new UpstreamException(upstream, "connection failed", true, true);
  }

  /**
   * 5xx means the host is in trouble; 4xx means the request was wrong, and asking again will not
   * help.
   */
  static UpstreamException badStatus(String upstream, int status) {
    boolean serverError = status >= 500;
    return new UpstreamException(
        upstream, "bad status " + status, serverError, serverError, status, false);
  }

  /** The upstream's HTTP status when it answered one that is not 2xx; 0 for every other failure. */
  public int status() {
    return status;
  }

  /** Whether the route answers with the upstream's own {@link #status()} rather than 502. */
  public boolean passed() {
    return passed;
  }

  /**
   * This failure, answered with the upstream's status: it is one of the upstream's {@code
   * pass-statuses}.
   */
  UpstreamException passedThrough() {
    return new UpstreamException(upstream, reason, transient_, hostFault, status, true);
  }

  static UpstreamException malformed(String upstream) {
    return new UpstreamException(upstream, "malformed JSON", false, false);
  }

  static UpstreamException tooDeep(String upstream) {
    return new UpstreamException(upstream, "JSON too deep", false, false);
  }

  static UpstreamException tooLarge(String upstream) {
    return new UpstreamException(upstream, "response too large", false, false);
  }

  static UpstreamException circuitOpen(String upstream) {
    return new UpstreamException(upstream, "circuit open", false, false);
  }

  /** The upstream's name in the route (or {@code host:port} for a handler's call). */
  public String upstream() {
    return upstream;
  }

  /** The cause, in the documented words. */
  public String reason() {
    return reason;
  }

  boolean isTransient() {
    return transient_;
  }

  boolean isHostFault() {
    return hostFault;
  }

  /** The same failure under another caller's name: coalesced calls are shared between routes. */
  UpstreamException renamed(String name) {
    return name.equals(upstream)
        ? this
        : new UpstreamException(name, reason, transient_, hostFault, status, passed);
  }
}
