package io.overseer.master.supervision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Turns an exit code (and a worker's last words, if it left any) into what status shows. */
final class ExitReason {
  /** The worker's exit code for an uncaught exception; see the worker's ExitCodes. */
  static final int UNCAUGHT_EXCEPTION = 70;

  /** The worker's exit code when its master disappeared. */
  static final int MASTER_GONE = 65;

  /**
   * Exit codes 129..192 mean "killed by signal (code - 128)", as the JDK and shells report them.
   */
  private static final int SIGNAL_BASE = 128;

  private static final int LAST_SIGNAL = 64;
  private static final Map<Integer, String> SIGNALS =
      Map.of(
          1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15,
          "SIGTERM");

  private ExitReason() {}

  /**
   * @param reasonFile where a worker writes the type of the exception that ended it; read and
   *     deleted here
   */
  static String describe(int exitCode, Path reasonFile) {
    String lastWords = readAndDelete(reasonFile);
    if (exitCode == UNCAUGHT_EXCEPTION) {
      return lastWords.isEmpty() ? "uncaught exception" : "uncaught exception: " + lastWords;
    }
    if (exitCode == MASTER_GONE) {
      return "master gone";
    }
    if (exitCode > SIGNAL_BASE && exitCode <= SIGNAL_BASE + LAST_SIGNAL) {
      int signal = exitCode - SIGNAL_BASE;
      return "signal " + SIGNALS.getOrDefault(signal, String.valueOf(signal));
    }
    return "exit code " + exitCode;
  }

  private static String readAndDelete(Path file) {
    if (file == null) {
      return "";
    }
    try {
      String text = Files.exists(file) ? Files.readString(file).trim() : "";
      Files.deleteIfExists(file);
      return text;
    } catch (IOException e) {
      return "(unreadable " + file + ": " + e.getMessage() + ")";
    }
  }
}
