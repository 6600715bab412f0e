package io.overseer.worker.bff;

import io.overseer.api.bff.UpstreamException;

/**
 * The engine's own upstream failures: an {@link UpstreamException} that also knows whether another
 * attempt may help and whether it counts against the host's circuit breaker. Kept out of the api
 * module because only the engine decides retries and breaker state.
 */
final class UpstreamFailure extends UpstreamException {
  private static final long serialVersionUID = 1L;

  /** Worth another attempt on an idempotent call: the host may answer next time. */
  private final boolean transient_;

  /** Evidence that the host is down or overloaded, counted by its circuit breaker. */
  private final boolean hostFault;

  private UpstreamFailure(
      String upstream,
      String reason,
      boolean transient_,
      boolean hostFault,
      int status,
      boolean passed) {
    super(upstream, reason, status, passed);
    this.transient_ = transient_;
    this.hostFault = hostFault;
  }

  static UpstreamFailure timeout(String upstream) {
    return new UpstreamFailure(upstream, "timeout", true, true, 0, false);
  }

  static UpstreamFailure refused(String upstream) {
    return new UpstreamFailure(upstream, "connection refused", true, true, 0, false);
  }

  static UpstreamFailure connectionFailed(String upstream) {
    return new UpstreamFailure(upstream, "connection failed", true, true, 0, false);
  }

  /**
   * 5xx means the host is in trouble; 4xx means the request was wrong, and asking again will not
   * help.
   */
  static UpstreamFailure badStatus(String upstream, int status) {
    boolean serverError = status >= 500;
    return new UpstreamFailure(
        upstream, "bad status " + status, serverError, serverError, status, false);
  }

  static UpstreamFailure malformed(String upstream) {
    return new UpstreamFailure(upstream, "malformed JSON", false, false, 0, false);
  }

  static UpstreamFailure tooDeep(String upstream) {
    return new UpstreamFailure(upstream, "JSON too deep", false, false, 0, false);
  }

  static UpstreamFailure tooLarge(String upstream) {
    return new UpstreamFailure(upstream, "response too large", false, false, 0, false);
  }

  static UpstreamFailure circuitOpen(String upstream) {
    return new UpstreamFailure(upstream, "circuit open", false, false, 0, false);
  }

  /** Whether another attempt may succeed; a handler's own failures never retry. */
  static boolean isTransient(UpstreamException e) {
    return e instanceof UpstreamFailure f && f.transient_;
  }

  /** Whether the failure counts against the host; a handler's own failures never do. */
  static boolean isHostFault(UpstreamException e) {
    return e instanceof UpstreamFailure f && f.hostFault;
  }

  /**
   * This failure, answered with the upstream's status: it is one of the upstream's {@code
   * pass-statuses}.
   */
  static UpstreamException passedThrough(UpstreamException e) {
    boolean transient_ = isTransient(e);
    return new UpstreamFailure(
        e.upstream(), e.reason(), transient_, isHostFault(e), e.status(), true);
  }

  /** The same failure under another caller's name: coalesced calls are shared between routes. */
  static UpstreamException renamed(UpstreamException e, String name) {
    return name.equals(e.upstream())
        ? e
        : new UpstreamFailure(
            name, e.reason(), isTransient(e), isHostFault(e), e.status(), e.passed());
  }
}
