package io.overseer.master.cli;

import java.nio.file.Path;

/**
 * A command failed in a way the user should read, with the exit code a script can test. The
 * factories hold the wording, so each situation reads the same from every command.
 */
final class CliException extends Exception {
  /** Something went wrong that has no more specific code: an API error, an unreadable file. */
  static final int FAILURE = 1;

  /** The command line was not understood. */
  static final int USAGE = 2;

  /** No master is running for this OVERSEER_HOME (no pid file, dead pid, connection refused). */
  static final int NOT_RUNNING = 3;

  /** The admin API answered 401. */
  static final int TOKEN_REFUSED = 4;

  /** The admin API does not know the app (or the process) named. */
  static final int UNKNOWN_APP = 5;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException usage(String problem) {
    return new CliException(USAGE, problem);
  }

  static CliException failure(String problem) {
    return new CliException(FAILURE, problem);
  }

  /**
   * @param home where the CLI looked: a wrong OVERSEER_HOME is the usual reason for this answer
   */
  static CliException notRunning(Path home) {
    return new CliException(
        NOT_RUNNING,
        "overseer is not running for OVERSEER_HOME " + home + " (start it with: overseer start)");
  }

  static CliException tokenRefused() {
    return new CliException(
        TOKEN_REFUSED, "the admin token was refused: is OVERSEER_HOME the master's?");
  }

  static CliException unknownApp(String app) {
    return new CliException(UNKNOWN_APP, "unknown app '" + app + "'");
  }

  /**
   * @param message the master's words, e.g. "unknown process 'web-9'"
   */
  static CliException unknownProcess(String message) {
    return new CliException(UNKNOWN_APP, message);
  }
}
