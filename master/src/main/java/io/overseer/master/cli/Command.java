package io.overseer.master.cli;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The subcommands of {@code overseer}, with the options and the number of arguments each takes. */
enum Command {
  START("start", "[--config FILE]", "start the master as a daemon", EnumSet.of(Option.CONFIG), 0, 0),
  STOP("stop", "", "stop the master (it drains requests, then stops its processes)",
      EnumSet.noneOf(Option.class), 0, 0),
  STATUS("status", "[--json]", "list the processes, like pm2 ls", EnumSet.of(Option.JSON), 0, 0),
  APPS("apps", "[--json]", "list the apps", EnumSet.of(Option.JSON), 0, 0),
  RESTART("restart", "[APP] [--json]", "restart an app's processes (every app without APP)",
      EnumSet.of(Option.JSON), 0, 1),
  RELOAD("reload", "[APP] [--json]", "reload an app one process at a time (every app without APP)",
      EnumSet.of(Option.JSON), 0, 1),
  SCALE("scale", "APP N [--json]", "run N instances of APP", EnumSet.of(Option.JSON), 2, 2),
  LOGS("logs", "[APP] [-n N] [-f] [--json]",
      "the last N (20) log lines of APP or of all apps, by time; -f follows",
      EnumSet.of(Option.JSON, Option.LINES, Option.FOLLOW), 0, 1),
  STARTUP("startup", "[--config FILE]", "print a systemd unit that runs overseer at boot",
      EnumSet.of(Option.CONFIG), 0, 0),
  HELP("help", "", "print this text", EnumSet.noneOf(Option.class), 0, 0);

  /** An option, with its spellings; the first is the one usage text shows. */
  enum Option {
    JSON(false, "--json"),
    FOLLOW(false, "-f", "--follow"),
    LINES(true, "-n", "--lines"),
    CONFIG(true, "--config");

    final boolean takesValue;
    final Set<String> spellings;

    Option(boolean takesValue, String... spellings) {
      this.takesValue = takesValue;
      this.spellings = Set.of(spellings);
    }

    static Optional<Option> spelled(String text) {
      return Arrays.stream(values()).filter(o -> o.spellings.contains(text)).findFirst();
    }
  }

  /** Wide enough for the longest synopsis, so the descriptions line up. */
  private static final int SYNOPSIS_WIDTH = 34;

  final String word;
  final String synopsis;
  final String description;
  final Set<Option> options;
  final int minArguments;
  final int maxArguments;

  Command(String word, String synopsis, String description, Set<Option> options,
      int minArguments, int maxArguments) {
    this.word = word;
    this.synopsis = synopsis;
    this.description = description;
    this.options = options;
    this.minArguments = minArguments;
    this.maxArguments = maxArguments;
  }

  static Optional<Command> named(String word) {
    return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
  }

  /** The usage text, built from the commands so it cannot drift from what the parser accepts. */
  static String usage() {
    StringBuilder text = new StringBuilder("usage: overseer <command> [options]\n\n");
    text.append(line("run [--config FILE]", "run the master in the foreground (bin/overseer only)"));
    for (Command command : values()) {
      text.append(line((command.word + " " + command.synopsis).trim(), command.description));
    }
    return text.append("""

        exit codes: 0 done, 1 failed, 2 usage error, 3 overseer not running, 4 admin token refused,
                    5 unknown app
        environment: OVERSEER_HOME, the master's state directory (default ~/.overseer)
        """).toString();
  }

  private static String line(String synopsis, String description) {
    return String.format("  %-" + SYNOPSIS_WIDTH + "s %s\n", synopsis, description);
  }
}
