package io.overseer.master.cli;

import io.overseer.master.cli.Command.Option;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed command line: the command, its positional arguments and its options. Parsing checks
 * everything the command line alone can tell (known command, options it takes, argument count,
 * numbers), so the commands only deal with the master.
 *
 * @param command what to do
 * @param arguments the positional arguments, e.g. {@code [web, 3]} for {@code scale web 3}
 * @param options each option given, with its value ({@code ""} for a flag)
 */
record CliArgs(Command command, List<String> arguments, Map<Option, String> options) {
  /** How many log lines {@code logs} prints without {@code -n}, as pm2 does. */
  static final int DEFAULT_LOG_LINES = 20;
  /** At most nine digits: always fits an int, so parsing cannot overflow. */
  private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");
  /** Looks like an option; "-1" does not, so {@code scale web -1} gets the message about N. */
  private static final Pattern OPTION_LIKE = Pattern.compile("-[^0-9].*");

  /** Parses {@code argv} (without the program name); unknown or misplaced input is a usage error. */
  static CliArgs parse(String... argv) throws CliException {
    if (argv.length == 0) {
      throw CliException.usage("no command given");
    }
    if (argv[0].equals("run")) {
      throw CliException.usage("'run' runs the master in the foreground: use bin/overseer run");
    }
    if (isHelp(argv[0])) {
      return new CliArgs(Command.HELP, List.of(), Map.of());
    }
    Command command = Command.named(argv[0])
        .orElseThrow(() -> CliException.usage("unknown command '" + argv[0] + "'"));
    List<String> arguments = new ArrayList<>();
    Map<Option, String> options = new EnumMap<>(Option.class);
    for (int i = 1; i < argv.length; i++) {
      String word = argv[i];
      if (isHelp(word)) {
        return new CliArgs(Command.HELP, List.of(), Map.of());
      }
      if (!OPTION_LIKE.matcher(word).matches()) {
        arguments.add(word);
        continue;
      }
      String[] nameAndValue = word.split("=", 2); // --config=FILE as well as --config FILE
      Option option = Option.spelled(nameAndValue[0])
          .orElseThrow(() -> CliException.usage("unknown option '" + word + "'"));
      if (!command.options.contains(option)) {
        throw CliException.usage("'" + command.word + "' does not take " + nameAndValue[0]);
      }
      String value = "";
      if (nameAndValue.length == 2) {
        if (!option.takesValue) {
          throw CliException.usage(nameAndValue[0] + " takes no value");
        }
        value = nameAndValue[1];
      } else if (option.takesValue) {
        if (i + 1 >= argv.length) {
          throw CliException.usage(word + " needs a value");
        }
        value = argv[++i];
      }
      options.put(option, value);
    }
    CliArgs parsed = new CliArgs(command, List.copyOf(arguments), options);
    parsed.validate();
    return parsed;
  }

  private static boolean isHelp(String word) {
    return word.equals("help") || word.equals("--help") || word.equals("-h");
  }

  private void validate() throws CliException {
    if (arguments.size() < command.minArguments || arguments.size() > command.maxArguments) {
      throw CliException.usage("usage: overseer " + command.word + " " + command.synopsis);
    }
    if (command == Command.SCALE) {
      nonNegative(arguments.get(1), "N");
    }
    if (options.containsKey(Option.LINES)) {
      nonNegative(options.get(Option.LINES), "-n");
    }
    if (options.containsKey(Option.CONFIG) && options.get(Option.CONFIG).isBlank()) {
      throw CliException.usage("--config needs a file");
    }
  }

  private static int nonNegative(String text, String name) throws CliException {
    if (!NON_NEGATIVE_INTEGER.matcher(text).matches()) {
      throw CliException.usage(name + " must be a non-negative integer, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** The APP argument, if given (restart, reload, scale, logs). */
  Optional<String> app() {
    return arguments.isEmpty() ? Optional.empty() : Optional.of(arguments.get(0));
  }

  /** N of {@code scale APP N}; validated by {@link #parse}. */
  int instances() {
    return Integer.parseInt(arguments.get(1));
  }

  boolean json() {
    return options.containsKey(Option.JSON);
  }

  boolean follow() {
    return options.containsKey(Option.FOLLOW);
  }

  int lines() {
    return options.containsKey(Option.LINES) ? Integer.parseInt(options.get(Option.LINES)) : DEFAULT_LOG_LINES;
  }

  Optional<String> config() {
    return Optional.ofNullable(options.get(Option.CONFIG));
  }
}
