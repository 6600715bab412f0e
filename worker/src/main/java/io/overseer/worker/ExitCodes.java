package io.overseer.worker;

/** Exit codes with which a worker tells its supervisor why it ended. */
public final class ExitCodes {
  /** The command line could not be used (as sysexits' EX_USAGE). */
  public static final int BAD_ARGUMENTS = 64;

  /** The master that spawned this worker is gone. */
  public static final int MASTER_GONE = 65;

  /** An exception escaped a thread (as sysexits' EX_SOFTWARE). */
  public static final int UNCAUGHT_EXCEPTION = 70;

  private ExitCodes() {}
}
