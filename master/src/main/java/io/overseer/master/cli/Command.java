package io.overseer.master.cli;

/**
 * What {@code overseer} was asked to do. The words, options and usage text are declared once, for
 * picocli, in {@link CliSpec}.
 */
enum Command {
  START,
  STOP,
  STATUS,
  APPS,
  RESTART,
  RELOAD,
  SCALE,
  /** {@code publish TOPIC JSON}. */
  PUBLISH,
  /** {@code send ID JSON}. */
  SEND,
  LOGS,
  /** {@code monit [--once]}: the live figures, redrawn until Ctrl-C. */
  MONIT,
  /** {@code dashboard}: a one-time login URL for the browser. */
  DASHBOARD,
  /** {@code jobs}: the list. */
  JOBS,
  /** {@code job run NAME --arg k=v}. */
  JOB_RUN,
  /** {@code schedules}: the table. */
  SCHEDULES,
  STARTUP,
  /** {@code certs ca} or {@code certs node}: local files only, no master involved. */
  CERTS,
  /**
   * Print {@link CliArgs#help()}: {@code help [COMMAND]}, {@code --help} or {@code COMMAND --help}.
   */
  HELP
}
