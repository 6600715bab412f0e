package io.overseer.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker's command line, parsed by picocli (which also writes the usage text), or first by
 * {@link #quick}, which reads the plain form the master passes without it.
 *
 * @param join host:port of the master's cluster node (the seed)
 * @param app the app this worker belongs to; empty lets the master choose its default worker app
 * @param id the worker id; the master passes one, a worker started by hand gets {@code ext-<pid>}
 * @param host the address this worker's node advertises (and binds, unless bindHost says otherwise)
 * @param port the cluster port, 0 for any free one
 * @param bindHost the address to bind when it differs from host (NAT, containers); empty for host
 * @param bindPort the port to bind when it differs from port; empty for port
 * @param watchStdin exit when stdin reaches end-of-file: set by the master, whose death closes the
 *     pipe
 * @param config the Overseer configuration file (its BFF routes), or null for none
 * @param tls the cluster TLS files given as options (over {@code overseer.cluster.tls} of config)
 */
public record WorkerArgs(
    String join,
    String app,
    String id,
    String host,
    int port,
    String bindHost,
    String bindPort,
    boolean watchStdin,
    Path config,
    TlsOptions tls) {

  /**
   * {@code --tls-dir} and the files one by one; each null when not given.
   *
   * @param dir a directory as {@code overseer certs node} writes it (node.key, node.crt, ca.crt)
   */
  public record TlsOptions(Path dir, Path keyFile, Path certFile, Path caFile) {
    public boolean given() {
      return dir != null || keyFile != null || certFile != null || caFile != null;
    }
  }

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

  /** The defaults of the options that have one: picocli's and {@link #quick}'s alike. */
  private static final String DEFAULT_HOST = "127.0.0.1";

  private static final String DEFAULT_PORT = "0";

  @Command(
      name = "java -jar overseer-worker.jar",
      usageHelpWidth = 100,
      description =
          "A worker JVM: joins the master's Pekko cluster and runs its compute jobs and BFF routes.")
  static final class Options {
    @Option(
        names = "--join",
        required = true,
        paramLabel = "HOST:PORT",
        description = "The master's cluster address (its seed node).")
    String join;

    @Option(
        names = "--app",
        paramLabel = "APP",
        defaultValue = "",
        description = "The app this worker belongs to (default: the master's default worker app).")
    String app;

    @Option(names = "--id", paramLabel = "ID", description = "The worker id (default: ext-<pid>).")
    String id;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        defaultValue = DEFAULT_HOST,
        description =
            "The address this worker's node binds and advertises (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = DEFAULT_PORT,
        description = "The cluster port; 0 for any free one (default).")
    int port;

    @Option(
        names = "--bind-host",
        paramLabel = "HOST",
        defaultValue = "",
        description =
            "The address to bind when it differs from --host, the advertised one (NAT, containers).")
    String bindHost;

    @Option(
        names = "--bind-port",
        paramLabel = "PORT",
        defaultValue = "",
        description = "The port to bind when it differs from --port.")
    String bindPort;

    @Option(
        names = "--tls-dir",
        paramLabel = "DIR",
        description =
            "Artery over mutual TLS with DIR/node.key, DIR/node.crt and DIR/ca.crt (as 'overseer"
                + " certs node' writes them).")
    Path tlsDir;

    @Option(
        names = "--tls-key-file",
        paramLabel = "FILE",
        description = "The node's private key (PEM); over --tls-dir's.")
    Path tlsKeyFile;

    @Option(
        names = "--tls-cert-file",
        paramLabel = "FILE",
        description = "The node's certificate (PEM); over --tls-dir's.")
    Path tlsCertFile;

    @Option(
        names = "--tls-ca-file",
        paramLabel = "FILE",
        description = "The cluster CA's certificate (PEM); over --tls-dir's.")
    Path tlsCaFile;

    @Option(
        names = "--watch-stdin",
        description =
            "Exit at end-of-file on stdin (the master passes it: its death closes the pipe).")
    boolean watchStdin;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "The Overseer configuration (its BFF routes).")
    Path config;

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

  public static WorkerArgs parse(String[] argv, long pid) {
    Options options = quick(argv);
    return checked(options != null ? options : picocli(argv), pid);
  }

  /** The same through picocli alone, whatever the form: what {@link #quick} is tested against. */
  static WorkerArgs parseWithPicocli(String[] argv, long pid) {
    return checked(picocli(argv), pid);
  }

  private static Options picocli(String[] argv) {
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
    return options;
  }

  /**
   * The command line as the master passes it (each option once, as {@code --name value}, and {@code
   * --watch-stdin}), read without picocli: picocli's class files are too old for the
   * class-data-sharing archive and its model is built by reflection: 0.07-0.15 s of every worker's
   * start (measured at load 11), more when workers boot side by side (BENCHMARKS.md, "Start and
   * replacement, eighth session"). Null for anything else (help, an unknown or repeated option, a
   * missing or dash-led value, {@code --name=value}, a port that is not plain digits): picocli then
   * parses it, with its own messages.
   */
  static Options quick(String[] argv) {
    Options options = new Options();
    options.app = "";
    options.host = DEFAULT_HOST;
    options.port = Integer.parseInt(DEFAULT_PORT);
    options.bindHost = "";
    options.bindPort = "";
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < argv.length; i++) {
      String name = argv[i];
      if (!seen.add(name)) {
        return null;
      }
      if (name.equals("--watch-stdin")) {
        options.watchStdin = true;
        continue;
      }
      if (i + 1 >= argv.length || argv[i + 1].startsWith("-")) {
        return null;
      }
      String value = argv[++i];
      try {
        switch (name) {
          case "--join" -> options.join = value;
          case "--app" -> options.app = value;
          case "--id" -> options.id = value;
          case "--host" -> options.host = value;
          case "--port" -> {
            if (!value.matches("\\d{1,9}")) {
              return null;
            }
            options.port = Integer.parseInt(value);
          }
          case "--bind-host" -> options.bindHost = value;
          case "--bind-port" -> options.bindPort = value;
          case "--tls-dir" -> options.tlsDir = Path.of(value);
          case "--tls-key-file" -> options.tlsKeyFile = Path.of(value);
          case "--tls-cert-file" -> options.tlsCertFile = Path.of(value);
          case "--tls-ca-file" -> options.tlsCaFile = Path.of(value);
          case "--config" -> options.config = Path.of(value);
          default -> {
            return null;
          }
        }
      } catch (java.nio.file.InvalidPathException e) {
        return null;
      }
    }
    return options.join == null ? null : options;
  }

  /** Checks what either parser read and makes the record. */
  private static WorkerArgs checked(Options options, long pid) {
    if (!options.join.matches("[^:\\s]+:\\d{1,5}")) {
      throw new BadArguments("--join must be HOST:PORT, got: " + options.join);
    }
    if (options.port < 0 || options.port > 65_535) {
      throw new BadArguments("--port must be 0..65535, got: " + options.port);
    }
    Path config = options.config == null ? null : options.config.toAbsolutePath();
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadArguments("--config: no such file: " + config);
    }
    if (!options.bindPort.isEmpty() && !options.bindPort.matches("\\d{1,5}")
        || !options.bindPort.isEmpty() && Integer.parseInt(options.bindPort) > 65_535) {
      throw new BadArguments("--bind-port must be 0..65535, got: " + options.bindPort);
    }
    String id = options.id == null ? "ext-" + pid : options.id;
    TlsOptions tls =
        new TlsOptions(
            absolute(options.tlsDir),
            absolute(options.tlsKeyFile),
            absolute(options.tlsCertFile),
            absolute(options.tlsCaFile));
    return new WorkerArgs(
        options.join,
        options.app,
        id,
        options.host,
        options.port,
        options.bindHost,
        options.bindPort,
        options.watchStdin,
        config,
        tls);
  }

  private static Path absolute(Path path) {
    return path == null ? null : path.toAbsolutePath().normalize();
  }
}
