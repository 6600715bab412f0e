package io.overseer.master.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code overseer}, declared for picocli, which parses it and writes the usage
 * text from these same declarations (so the help cannot drift from what is accepted). Numbers are
 * kept as text here and checked by {@link CliArgs}, so that their errors read the same as before.
 * The options every command shares and the commands that run the master and its processes are here;
 * the others by concern in {@link WatchSpec}, {@link WorkSpec} and {@link CertsSpec}.
 */
@Command(
    name = "overseer",
    synopsisSubcommandLabel = "<command>",
    usageHelpWidth = 100,
    description =
        "Runs and controls the Overseer master, like pm2. 'overseer <command> --help' shows a command.",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
      "Exit codes: 0 done, 1 failed, 2 usage error, 3 overseer not running, 4 admin token refused,",
      "            5 unknown app or process.",
      "Environment: OVERSEER_HOME, the master's state directory (default ~/.overseer);",
      "             OVERSEER_CLI_JAVA_OPTS, options of this tool's JVM, e.g. -Doverseer.cli.stop-timeout=2m",
      "             (the CLI's waits: overseer.cli in the master's reference.conf)."
    })
final class CliSpec {
  /**
   * The commands, in the order the help lists them. Added here rather than in {@code @Command}'s
   * {@code subcommands}, so that a run can build the model of its one command only: picocli reads
   * each command's annotations when its model is built, which is most of what it costs a
   * short-lived JVM (see {@link #command}).
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("run", Run::new);
    COMMANDS.put("start", Start::new);
    COMMANDS.put("stop", Stop::new);
    COMMANDS.put("status", Status::new);
    COMMANDS.put("apps", Apps::new);
    COMMANDS.put("restart", Restart::new);
    COMMANDS.put("reload", Reload::new);
    COMMANDS.put("scale", Scale::new);
    COMMANDS.put("publish", WorkSpec.Publish::new);
    COMMANDS.put("send", WorkSpec.Send::new);
    COMMANDS.put("logs", WatchSpec.Logs::new);
    COMMANDS.put("monit", WatchSpec.Monit::new);
    COMMANDS.put("dashboard", WatchSpec.Dashboard::new);
    COMMANDS.put("jobs", WorkSpec.Jobs::new);
    COMMANDS.put("job", WorkSpec.Job::new);
    COMMANDS.put("schedules", WatchSpec.Schedules::new);
    COMMANDS.put("startup", Startup::new);
    COMMANDS.put("certs", CertsSpec.Certs::new);
    COMMANDS.put("help", Help::new);
  }

  @Mixin HelpOption help;

  private CliSpec() {}

  /**
   * The whole command line, every command a subcommand of {@code overseer}: for the overall help
   * and for errors that need to know every command. {@code @file} arguments are not expanded (an
   * app is never read from a file), here and in {@link #command}.
   */
  static CommandLine whole() {
    CommandLine whole = new CommandLine(new CliSpec()).setExpandAtFiles(false);
    COMMANDS.forEach((word, command) -> whole.addSubcommand(word, command.get()));
    return whole;
  }

  /**
   * One command on its own, named {@code overseer WORD} so its synopsis and help read as in {@link
   * #whole}; null if there is no such command.
   */
  static CommandLine command(String word) {
    Supplier<Object> command = COMMANDS.get(word);
    if (command == null) {
      return null;
    }
    CommandLine one = new CommandLine(command.get()).setExpandAtFiles(false);
    one.getCommandSpec().name("overseer " + word);
    return one;
  }

  /** {@code -h}/{@code --help} on every command; picocli prints that command's usage. */
  static final class HelpOption {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;
  }

  /** {@code --json}: the master's answer as it sent it, for scripts. */
  static final class JsonOption {
    @Option(names = "--json", description = "Print the master's JSON answer instead of text.")
    boolean json;
  }

  /** {@code --config FILE}: the master's configuration. */
  static final class ConfigOption {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "The configuration file (default: conf/overseer.conf of the installation).")
    String config;
  }

  /** Listed so that the help shows it: only bin/overseer runs it (the CLI answers with a hint). */
  @Command(name = "run", description = "Run the master in the foreground (bin/overseer only).")
  static final class Run {
    @Mixin HelpOption help;
    @Mixin ConfigOption config;
  }

  @Command(
      name = "start",
      description = {
        "Start the master as a daemon; wait until it answers /health.",
        "With PROCESS: start that stopped (or waiting, errored) process of any host."
      })
  static final class Start {
    @Mixin HelpOption help;
    @Mixin ConfigOption config;

    @Parameters(
        arity = "0..1",
        paramLabel = "PROCESS",
        description = "A process id as status shows it, e.g. web-0 or web-0@h2.")
    String process;
  }

  @Command(
      name = "stop",
      description = {
        "Stop the master (it drains requests, then stops its processes).",
        "With PROCESS: drain and stop that process; it stays stopped until start PROCESS or a"
            + " restart of its app."
      })
  static final class Stop {
    @Mixin HelpOption help;

    @Parameters(
        arity = "0..1",
        paramLabel = "PROCESS",
        description = "A process id as status shows it, e.g. web-0 or web-0@h2.")
    String process;
  }

  @Command(name = "status", description = "List the processes, like pm2 ls.")
  static final class Status {
    @Mixin HelpOption help;
    @Mixin JsonOption json;
  }

  @Command(name = "apps", description = "List the apps.")
  static final class Apps {
    @Mixin HelpOption help;
    @Mixin JsonOption json;
  }

  /** What restart and reload share: an optional APP. */
  static class AppAction {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Parameters(
        arity = "0..1",
        paramLabel = "APP",
        description = "The app (default: every app, in turn).")
    String app;
  }

  @Command(
      name = "restart",
      description = {
        "Restart an app's processes (every app without APP).",
        "With a PROCESS id (web-0, web-0@h2): a new process for it, ready before the old one is"
            + " drained."
      })
  static final class Restart extends AppAction {}

  @Command(
      name = "reload",
      description = "Reload an app one process at a time (every app without APP).")
  static final class Reload extends AppAction {}

  @Command(name = "scale", description = "Run N instances of APP.")
  static final class Scale {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Parameters(index = "0", paramLabel = "APP", description = "The app.")
    String app;

    @Parameters(index = "1", paramLabel = "N", description = "The number of instances.")
    String instances;
  }

  @Command(
      name = "startup",
      description = "Print a systemd unit that runs overseer at boot (not installed).")
  static final class Startup {
    @Mixin HelpOption help;
    @Mixin ConfigOption config;
  }

  @Command(name = "help", description = "Show this help, or a command's.")
  static final class Help {
    @Mixin HelpOption help;

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "The command to explain.")
    String command;
  }
}
