package io.overseer.master.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that show what runs, declared for picocli: logs, monit, dashboard, schedules.
 * Registered in {@link CliSpec}.
 */
final class WatchSpec {
  private WatchSpec() {}

  @Command(
      name = "schedules",
      description = "List the schedules: cron, next tick, last run and its outcome.")
  static final class Schedules {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;
  }

  @Command(
      name = "logs",
      description =
          "The last N log lines of APP (or one PROCESS, e.g. web-0@h2) or of all apps, on every"
              + " host, by time; -f follows.")
  static final class Logs {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;

    @Parameters(
        arity = "0..1",
        paramLabel = "APP",
        description = "The app, or one process id (default: all apps).")
    String app;

    @Option(
        names = {"-n", "--lines"},
        paramLabel = "N",
        description = "How many lines (default: 20).")
    String lines;

    @Option(
        names = {"-f", "--follow"},
        description = "Then print new lines as they are written.")
    boolean follow;
  }

  @Command(
      name = "monit",
      description =
          "The live figures of every process (cpu, memory, req/s, p99, in flight), redrawn each"
              + " second like pm2 monit; Ctrl-C ends it.")
  static final class Monit {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;

    @Option(names = "--once", description = "Print one snapshot and exit (for scripts).")
    boolean once;
  }

  @Command(
      name = "dashboard",
      description =
          "Print a one-time login URL for the dashboard in the browser (/_admin/ui); it is good"
              + " once, for overseer.dashboard.login-code-ttl (60 s).")
  static final class Dashboard {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;
  }
}
