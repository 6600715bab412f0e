package io.overseer.master.bff;

/**
 * A request refused before schema validation: malformed or too deeply nested JSON (400), a body too
 * large (413), a query string too long (414) or malformed (400).
 */
public final class BadBody extends Exception {
  private final int status;
  private final String location;
  private final String problem;

  /** A problem with the body. */
  public BadBody(int status, String problem) {
    this(status, FieldError.BODY, problem);
  }

  /**
   * @param status the HTTP status to answer with
   * @param location the part of the request at fault: {@code "body"} or {@code "query"}
   * @param problem what is wrong, in words
   */
  public BadBody(int status, String location, String problem) {
    // No stack trace: hostile input makes these often, and the problem says all there is to say.
    super(location + ": " + problem, null, false, false);
    this.status = status;
    this.location = location;
    this.problem = problem;
  }

  /** The HTTP status to answer with: 400, 413 or 414. */
  public int status() {
    return status;
  }

  /** {@code "body"} or {@code "query"}. */
  public String location() {
    return location;
  }

  /** What is wrong, in words, naming the configuration key of a limit. */
  public String problem() {
    return problem;
  }

  /** The same problem as a field error on the part as a whole, to report beside the others. */
  public FieldError fieldError() {
    return new FieldError(location, "", problem);
  }
}
