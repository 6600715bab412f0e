package io.overseer.master.cli;

import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * picocli's parse errors in the CLI's words: one short line naming the problem, ending with the
 * help to read, e.g. {@code unknown option '--jsn' (see: overseer status --help)}.
 */
final class UsageErrors {
  /** A negative number, which picocli takes for an unknown option: {@code scale web -1}. */
  private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d.*");

  private UsageErrors() {}

  /** One line: the problem, and where the help for it is. */
  static CliException usage(String problem, CommandLine where) {
    String name = where.getCommandSpec().qualifiedName();
    String help = name.equals("overseer") ? "overseer help" : name + " --help";
    return CliException.usage(problem + " (see: " + help + ")");
  }

  /** picocli's error as one short line in the CLI's words; the user gets the rest from --help. */
  static String describe(ParameterException e, CommandLine where) {
    boolean top = where.getCommandSpec().userObject() instanceof CliSpec;
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String word = unmatched.getUnmatched().get(0);
      if (top && !word.startsWith("-")) {
        List<String> suggestions = unmatched.getSuggestions();
        return "unknown command '"
            + word
            + "'"
            + (suggestions.isEmpty()
                ? ""
                : " (did you mean " + String.join(" or ", suggestions) + "?)");
      }
      if (NEGATIVE_NUMBER.matcher(word).matches()
          && where.getCommandSpec().userObject() instanceof CliSpec.Scale) {
        return "N must be a non-negative integer, not '" + word + "'";
      }
      if (word.startsWith("-")) {
        return unknownOption(word, where, top);
      }
      return "unexpected argument '" + word + "'; usage: " + synopsis(where);
    }
    if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
      ArgSpec first = missing.getMissing().get(0);
      return first instanceof OptionSpec option
          ? option.shortestName() + " needs a value"
          : "missing " + first.paramLabel() + "; usage: " + synopsis(where);
    }
    if (!(e instanceof OverwrittenOptionException)
        && e.getArgSpec() instanceof OptionSpec option
        && option.arity().max() == 0) {
      return option.longestName() + " takes no value"; // --json=yes
    }
    return e
        .getMessage(); // picocli's own words, e.g. "option '--json' should be specified only once"
  }

  /** An option of another command ("'stop' does not take --json"), or of none. */
  private static String unknownOption(String word, CommandLine where, boolean top) {
    String name = word.split("=", 2)[0];
    boolean elsewhere =
        !top
            && CliSpec.whole().getSubcommands().values().stream()
                .anyMatch(command -> command.getCommandSpec().findOption(name) != null);
    // Only a command's own model is named "overseer WORD" (CliSpec.command).
    return elsewhere
        ? "'"
            + where.getCommandSpec().name().replaceFirst("^overseer ", "")
            + "' does not take "
            + name
        : "unknown option '" + word + "'";
  }

  /** {@code overseer scale [-h] [--json] APP N}, as the help shows it. */
  private static String synopsis(CommandLine command) {
    return command.getHelp().synopsis(0).strip();
  }
}
