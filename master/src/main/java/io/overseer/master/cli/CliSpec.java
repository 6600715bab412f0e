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
    COMMANDS.put("publish", Publish::new);
    COMMANDS.put("send", Send::new);
    COMMANDS.put("logs", Logs::new);
    COMMANDS.put("monit", Monit::new);
    COMMANDS.put("dashboard", Dashboard::new);
    COMMANDS.put("jobs", Jobs::new);
    COMMANDS.put("job", Job::new);
    COMMANDS.put("schedules", Schedules::new);
    COMMANDS.put("startup", Startup::new);
    COMMANDS.put("certs", Certs::new);
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

  @Command(
      name = "schedules",
      description = "List the schedules: cron, next tick, last run and its outcome.")
  static final class Schedules {
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
      name = "publish",
      description = "Publish a JSON message on TOPIC to every process that subscribes it.")
  static final class Publish {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, e.g. cache.")
    String topic;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message, e.g. '{\"drop\":1}'.")
    String message;
  }

  @Command(
      name = "send",
      description = "Send a JSON message to one worker process (its ProcessListeners), e.g. web-1.")
  static final class Send {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "The process id, as status shows it.")
    String id;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message.")
    String message;
  }

  @Command(
      name = "logs",
      description =
          "The last N log lines of APP (or one PROCESS, e.g. web-0@h2) or of all apps, on every"
              + " host, by time; -f follows.")
  static final class Logs {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

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
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Option(names = "--once", description = "Print one snapshot and exit (for scripts).")
    boolean once;
  }

  @Command(
      name = "dashboard",
      description =
          "Print a one-time login URL for the dashboard in the browser (/_admin/ui); it is good"
              + " once, for overseer.dashboard.login-code-ttl (60 s).")
  static final class Dashboard {
    @Mixin HelpOption help;
    @Mixin JsonOption json;
  }

  @Command(name = "jobs", description = "List the jobs (overseer.jobs).")
  static final class Jobs {
    @Mixin HelpOption help;
    @Mixin JsonOption json;
  }

  @Command(
      name = "job",
      description = "Run a job.",
      synopsisSubcommandLabel = "run",
      subcommands = {JobRun.class})
  static final class Job {
    @Mixin HelpOption help;
  }

  @Command(
      name = "run",
      description =
          "Run job NAME once on a worker, wait for it, print its result (exit 1 if it fails).")
  static final class JobRun {
    @Mixin HelpOption help;
    @Mixin JsonOption json;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job.")
    String name;

    @Option(
        names = "--arg",
        paramLabel = "K=V",
        description =
            "An argument, repeatable; V is the JSON value it spells (10, true, [1,2], \"10\")"
                + " or else text.")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Option(
        names = "--deadline",
        paramLabel = "DURATION",
        description =
            "How long to wait for this run (500ms, 30s, 2m), at most the job's configured"
                + " deadline; past it the run is cancelled.")
    String deadline;
  }

  @Command(
      name = "startup",
      description = "Print a systemd unit that runs overseer at boot (not installed).")
  static final class Startup {
    @Mixin HelpOption help;
    @Mixin ConfigOption config;
  }

  @Command(
      name = "certs",
      description = "Create the cluster's CA and its nodes' certificates (TLS between nodes).",
      synopsisSubcommandLabel = "(ca | node)",
      subcommands = {CertsCa.class, CertsNode.class})
  static final class Certs {
    @Mixin HelpOption help;
  }

  /** What both certs commands take. */
  static class CertsOptions {
    @Mixin HelpOption help;

    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description = "The CA's directory: ca.key and ca.crt, and a directory per node.")
    String dir;

    @Option(
        names = "--validity",
        paramLabel = "DURATION",
        description =
            "How long the certificate is valid, e.g. 365d (default: overseer.cli.certs in the"
                + " master's reference.conf).")
    String validity;
  }

  @Command(
      name = "ca",
      description = "Create the cluster CA: DIR/ca.key (owner-only) and DIR/ca.crt.")
  static final class CertsCa extends CertsOptions {
    @Option(
        names = "--name",
        paramLabel = "CLUSTER",
        defaultValue = "overseer",
        description = "The cluster's name, carried by every node certificate (default: overseer).")
    String name;
  }

  @Command(
      name = "node",
      description =
          "Sign a certificate for node NAME: DIR/NAME/node.key (owner-only), node.crt and ca.crt,"
              + " the directory to copy to that node (overseer.cluster.tls.dir, --tls-dir).")
  static final class CertsNode extends CertsOptions {
    @Parameters(index = "0", paramLabel = "NAME", description = "The node's name, e.g. host2.")
    String name;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description =
            "An address of the node (IP or DNS name), repeatable; recorded in the certificate.")
    java.util.List<String> hosts = new java.util.ArrayList<>();
  }

  @Command(name = "help", description = "Show this help, or a command's.")
  static final class Help {
    @Mixin HelpOption help;

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "The command to explain.")
    String command;
  }
}
