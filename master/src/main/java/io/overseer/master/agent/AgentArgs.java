package io.overseer.master.agent;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent's command line, parsed by picocli (which also writes the usage text).
 *
 * @param join host:port of the master's cluster node
 * @param name this host's name, unique in the cluster: placement and the host column use it
 * @param labels what placement's {@code "label:X"} matches
 * @param config the Overseer configuration (the same file as the master's: the apps' definitions)
 * @param host the address this agent's node binds and advertises; its workers join through it
 * @param port this agent's cluster port
 */
public record AgentArgs(
    String join, String name, Set<String> labels, Path config, String host, int port, Path tlsDir) {

  /** Host names and labels: as app names, so they read well in roles, ids and file names. */
  static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*";

  /** Thrown for a command line that cannot be used; the message names the problem. */
  public static final class BadArguments extends RuntimeException {
    BadArguments(String message) {
      super(message);
    }
  }

  /** {@code --help}: not an error, the caller prints {@link #usage()} and exits 0. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help requested");
    }
  }

  @Command(
      name = "overseer agent",
      usageHelpWidth = 100,
      description =
          "Runs on another host: joins the master's cluster and supervises the processes the"
              + " master places on this host (in the foreground).")
  private static final class Options {
    @Option(
        names = "--join",
        required = true,
        paramLabel = "HOST:PORT",
        description = "The master's cluster address (overseer.cluster.host and port).")
    String join;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "This host's name, unique in the cluster (letters, digits, _ . -).")
    String name;

    @Option(
        names = "--labels",
        paramLabel = "A,B",
        defaultValue = "",
        description = "Labels that placement's \"label:X\" matches, comma-separated.")
    String labels;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        defaultValue = "conf/overseer.conf",
        description =
            "The Overseer configuration, a copy of the master's (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        defaultValue = "127.0.0.1",
        description = "The address this agent binds and advertises (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = "25521",
        description = "This agent's cluster port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--tls-dir",
        paramLabel = "DIR",
        description =
            "This host's node files (node.key, node.crt, ca.crt of `overseer certs node`): the"
                + " cluster speaks mutual TLS (default: overseer.cluster.tls of --config).")
    Path tlsDir;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help and exit.")
    boolean help;
  }

  /** The usage text, with every option and its default. */
  public static String usage() {
    return new CommandLine(new Options()).getUsageMessage();
  }

  public static AgentArgs parse(String[] argv) {
    Options options = new Options();
    CommandLine commandLine = new CommandLine(options);
    try {
      commandLine.parseArgs(argv);
    } catch (CommandLine.ParameterException e) {
      if (options.help) {
        throw new HelpRequested();
      }
      throw new BadArguments(e.getMessage());
    }
    if (commandLine.isUsageHelpRequested()) {
      throw new HelpRequested();
    }
    if (!options.join.matches("[^:\\s]+:\\d{1,5}")) {
      throw new BadArguments("--join must be HOST:PORT, got: " + options.join);
    }
    if (!options.name.matches(NAME_PATTERN)) {
      throw new BadArguments(
          "--name must be letters, digits, '_', '.', '-', got: \"" + options.name + "\"");
    }
    if (options.port < 1 || options.port > 65_535) {
      throw new BadArguments("--port must be 1..65535, got: " + options.port);
    }
    Set<String> labels = new LinkedHashSet<>();
    for (String label : Arrays.asList(options.labels.split(",", -1))) {
      String trimmed = label.trim();
      if (trimmed.isEmpty() && options.labels.isBlank()) {
        continue;
      }
      if (!trimmed.matches(NAME_PATTERN)) {
        throw new BadArguments(
            "--labels must be names (letters, digits, _ . -) separated by commas, got: \""
                + options.labels
                + "\"");
      }
      labels.add(trimmed);
    }
    return new AgentArgs(
        options.join,
        options.name,
        Set.copyOf(labels),
        options.config.toAbsolutePath(),
        options.host,
        options.port,
        options.tlsDir == null ? null : options.tlsDir.toAbsolutePath());
  }
}
