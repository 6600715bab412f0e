package io.overseer.master.http;

/** A query parameter that cannot be used; answered 400 with the parameter and the problem. */
public final class BadParameter extends RuntimeException {
  private final String parameter;
  private final String problem;

  public BadParameter(String parameter, String problem) {
    super(parameter + ": " + problem, null, false, false);
    this.parameter = parameter;
    this.problem = problem;
  }

  public String parameter() {
    return parameter;
  }

  public String problem() {
    return problem;
  }
}
