package io.overseer.master.cli;

import io.overseer.master.jobs.RunDeadline;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A parsed command line. picocli parses it against {@link CliSpec}; this class checks what the
 * command line alone can still tell (the numbers), and {@link UsageErrors} turns picocli's errors
 * into one short line each, so the commands only deal with the master.
 *
 * @param command what to do
 * @param app the APP argument, if given (restart, reload, scale, logs); the PROCESS of {@code
 *     restart PROCESS}, {@code start PROCESS}, {@code stop PROCESS}
 * @param instances N of {@code scale APP N}
 * @param json {@code --json}
 * @param follow {@code logs -f}; {@code monit} without {@code --once}
 * @param lines {@code logs -n N}
 * @param config {@code --config FILE} of start and startup
 * @param help for {@link Command#HELP}: the usage text to print
 * @param certs for {@link Command#CERTS}: what to create
 * @param jobRun {@code --arg K=V} and {@code --deadline} of {@code job run}, as given
 * @param message for {@link Command#PUBLISH} and {@link Command#SEND}: where to, and the JSON
 */
record CliArgs(
    Command command,
    Optional<String> app,
    int instances,
    boolean json,
    boolean follow,
    int lines,
    Optional<String> config,
    String help,
    Optional<CertsCommand.Request> certs,
    JobRunArgs jobRun,
    Optional<MessageArgs> message) {

  /** A command line without job arguments or a message. */
  CliArgs(
      Command command,
      Optional<String> app,
      int instances,
      boolean json,
      boolean follow,
      int lines,
      Optional<String> config,
      String help,
      Optional<CertsCommand.Request> certs) {
    this(
        command,
        app,
        instances,
        json,
        follow,
        lines,
        config,
        help,
        certs,
        JobRunArgs.NONE,
        Optional.empty());
  }

  /**
   * @param target the topic of publish, the process id of send
   * @param json the message as given, checked to be JSON
   */
  record MessageArgs(String target, String json) {}

  /** How many log lines {@code logs} prints without {@code -n}, as pm2 does. */
  static final int DEFAULT_LOG_LINES = 20;

  /** At most nine digits: always fits an int, so parsing cannot overflow. */
  private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");

  /**
   * Parses {@code argv} (without the program name); unknown or misplaced input is a usage error
   * whose message ends by naming the help to read, e.g. {@code (see: overseer scale --help)}. Only
   * the named command's model is built, unless the overall help or an error needs them all.
   */
  static CliArgs parse(String... argv) throws CliException {
    if (argv.length == 0) {
      throw CliException.usage("no command given");
    }
    CommandLine command = CliSpec.command(argv[0]);
    if (command == null) {
      return parseWhole(
          argv); // -h, --help, or an unknown word: the error suggests the nearest commands
    }
    ParseResult parsed;
    try {
      parsed = command.parseArgs(Arrays.copyOfRange(argv, 1, argv.length));
    } catch (ParameterException e) {
      throw UsageErrors.usage(UsageErrors.describe(e, e.getCommandLine()), e.getCommandLine());
    }
    while (parsed.hasSubcommand()) { // certs ca, certs node, job run
      parsed = parsed.subcommand();
      command = parsed.commandSpec().commandLine();
    }
    if (parsed.isUsageHelpRequested()) {
      return help(command.getUsageMessage());
    }
    try {
      return of(command.getCommandSpec().userObject());
    } catch (CliException e) {
      throw UsageErrors.usage(e.getMessage(), command);
    }
  }

  private static CliArgs parseWhole(String[] argv) throws CliException {
    CommandLine whole = CliSpec.whole();
    try {
      whole.parseArgs(argv);
    } catch (ParameterException e) {
      throw UsageErrors.usage(UsageErrors.describe(e, whole), whole);
    }
    return help(whole.getUsageMessage()); // the only way through without a known command
  }

  private static CliArgs of(Object command) throws CliException {
    if (command instanceof CliSpec.Run) {
      throw CliException.usage("'run' runs the master in the foreground: use bin/overseer run");
    } else if (command instanceof CliSpec.Start start) {
      if (start.process != null && start.config.config != null) {
        throw CliException.usage("start PROCESS takes no --config (the master is running)");
      }
      return withTarget(simple(Command.START, false, config(start.config)), start.process);
    } else if (command instanceof CliSpec.Stop stop) {
      return withTarget(simple(Command.STOP, false, Optional.empty()), stop.process);
    } else if (command instanceof CliSpec.Status status) {
      return simple(Command.STATUS, status.json.json, Optional.empty());
    } else if (command instanceof CliSpec.Apps apps) {
      return simple(Command.APPS, apps.json.json, Optional.empty());
    } else if (command instanceof CliSpec.AppAction action) {
      Command which = action instanceof CliSpec.Restart ? Command.RESTART : Command.RELOAD;
      return new CliArgs(
          which,
          Optional.ofNullable(action.app),
          0,
          action.json.json,
          false,
          0,
          Optional.empty(),
          "",
          Optional.empty());
    } else if (command instanceof CliSpec.Scale scale) {
      return new CliArgs(
          Command.SCALE,
          Optional.of(scale.app),
          nonNegative(scale.instances, "N"),
          scale.json.json,
          false,
          0,
          Optional.empty(),
          "",
          Optional.empty());
    } else if (command instanceof WorkSpec.Publish publish) {
      return message(Command.PUBLISH, publish.topic, publish.message, publish.json.json);
    } else if (command instanceof WorkSpec.Send send) {
      return message(Command.SEND, send.id, send.message, send.json.json);
    } else if (command instanceof WatchSpec.Logs logs) {
      int lines = logs.lines == null ? DEFAULT_LOG_LINES : nonNegative(logs.lines, "-n");
      return new CliArgs(
          Command.LOGS,
          Optional.ofNullable(logs.app),
          0,
          logs.json.json,
          logs.follow,
          lines,
          Optional.empty(),
          "",
          Optional.empty());
    } else if (command instanceof WatchSpec.Monit monit) {
      return new CliArgs(
          Command.MONIT,
          Optional.empty(),
          0,
          monit.json.json,
          !monit.once,
          0,
          Optional.empty(),
          "",
          Optional.empty());
    } else if (command instanceof WatchSpec.Dashboard dashboard) {
      return simple(Command.DASHBOARD, dashboard.json.json, Optional.empty());
    } else if (command instanceof WorkSpec.Jobs jobs) {
      return simple(Command.JOBS, jobs.json.json, Optional.empty());
    } else if (command instanceof WorkSpec.Job) {
      throw CliException.usage("job needs what to do: run NAME");
    } else if (command instanceof WorkSpec.JobRun run) {
      if (run.deadline != null) {
        try {
          RunDeadline.parse(run.deadline); // its cap is the job's, which the master checks
        } catch (IllegalArgumentException e) {
          throw CliException.usage("--deadline: " + e.getMessage());
        }
      }
      for (String arg : run.args) {
        if (arg.indexOf('=') < 1) {
          throw CliException.usage("--arg needs NAME=VALUE, not '" + arg + "'");
        }
      }
      return new CliArgs(
          Command.JOB_RUN,
          Optional.of(run.name),
          0,
          run.json.json,
          false,
          0,
          Optional.empty(),
          "",
          Optional.empty(),
          new JobRunArgs(List.copyOf(run.args), Optional.ofNullable(run.deadline)),
          Optional.empty());
    } else if (command instanceof WatchSpec.Schedules schedules) {
      return simple(Command.SCHEDULES, schedules.json.json, Optional.empty());
    } else if (command instanceof CliSpec.Startup startup) {
      return simple(Command.STARTUP, false, config(startup.config));
    } else if (command instanceof CertsSpec.Certs) {
      throw CliException.usage("certs needs what to create: ca or node");
    } else if (command instanceof CertsSpec.CertsCa ca) {
      return certs(new CertsCommand.Request(true, ca.dir, ca.name, List.of(), ca.validity));
    } else if (command instanceof CertsSpec.CertsNode node) {
      return certs(
          new CertsCommand.Request(
              false, node.dir, node.name, List.copyOf(node.hosts), node.validity));
    } else if (command instanceof CliSpec.Help help) {
      return help(helpFor(help.command));
    }
    throw new IllegalStateException("no command for " + command);
  }

  private static CliArgs simple(Command command, boolean json, Optional<String> config) {
    return new CliArgs(command, Optional.empty(), 0, json, false, 0, config, "", Optional.empty());
  }

  /** JSON that is not JSON is a usage error here, before the master is asked. */
  private static CliArgs message(Command command, String target, String json, boolean jsonOut)
      throws CliException {
    try {
      if (new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readTree(json)
          .isMissingNode()) {
        throw CliException.usage("JSON is empty; give a message, e.g. '{}'");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CliException.usage("JSON is not JSON: " + e.getOriginalMessage());
    }
    return new CliArgs(
        command,
        Optional.empty(),
        0,
        jsonOut,
        false,
        0,
        Optional.empty(),
        "",
        Optional.empty(),
        JobRunArgs.NONE,
        Optional.of(new MessageArgs(target, json)));
  }

  /** {@code start PROCESS}, {@code stop PROCESS}: the process in {@code app}. */
  private static CliArgs withTarget(CliArgs args, String process) {
    return new CliArgs(
        args.command(),
        Optional.ofNullable(process),
        0,
        args.json(),
        false,
        0,
        args.config(),
        "",
        Optional.empty());
  }

  private static CliArgs certs(CertsCommand.Request request) {
    return new CliArgs(
        Command.CERTS,
        Optional.empty(),
        0,
        false,
        false,
        0,
        Optional.empty(),
        "",
        Optional.of(request));
  }

  private static CliArgs help(String text) {
    return new CliArgs(
        Command.HELP,
        Optional.empty(),
        0,
        false,
        false,
        0,
        Optional.empty(),
        text,
        Optional.empty());
  }

  private static String helpFor(String word) throws CliException {
    if (word == null) {
      return CliSpec.whole().getUsageMessage();
    }
    CommandLine command = CliSpec.command(word);
    if (command == null) {
      throw CliException.usage("unknown command '" + word + "'");
    }
    return command.getUsageMessage();
  }

  private static Optional<String> config(CliSpec.ConfigOption option) throws CliException {
    if (option.config != null && option.config.isBlank()) {
      throw CliException.usage("--config needs a file");
    }
    return Optional.ofNullable(option.config);
  }

  private static int nonNegative(String text, String name) throws CliException {
    if (!NON_NEGATIVE_INTEGER.matcher(text).matches()) {
      throw CliException.usage(name + " must be a non-negative integer, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /**
   * {@code job run}'s options.
   *
   * @param pairs {@code --arg K=V} each, as given
   * @param deadline {@code --deadline}, if given (its form checked)
   */
  record JobRunArgs(List<String> pairs, Optional<String> deadline) {
    static final JobRunArgs NONE = new JobRunArgs(List.of(), Optional.empty());
  }
}
