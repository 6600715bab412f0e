package io.overseer.master.cli;

import io.overseer.master.Installation;
import io.overseer.master.logs.LogSources;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code overseer} command-line tool, run by {@code bin/overseer} for every command except
 * {@code run}. {@link #run} does the work and returns the exit code; only {@link #main} exits, so
 * tests call {@link #run} in-process with their own environment and streams.
 */
public final class OverseerCli {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private CliSettings settings;
  private CliHome home;

  private OverseerCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs one command line.
   *
   * @param args the arguments after {@code overseer}
   * @param env the environment: {@code OVERSEER_HOME} (default {@code ~/.overseer}), {@code
   *     OVERSEER_ROOT} (the installation; default: where this class was loaded from)
   * @param out where results go
   * @param err where errors and usage go
   * @return 0 on success, else one of the codes listed by {@code overseer help}
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      return new OverseerCli(env, out, err).execute(CliArgs.parse(args));
    } catch (CliException e) {
      // One short line; a usage error names the generated help rather than printing all of it.
      err.println(e.getMessage());
      return e.exitCode();
    } catch (UncheckedIOException e) {
      err.println(e.getMessage());
      return CliException.FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int execute(CliArgs args) throws CliException {
    if (args.command() == Command.HELP) {
      out.print(args.help());
      return 0;
    }
    if (args.command() == Command.CERTS) {
      return new CertsCommand(out, System.getProperties()).run(args.certs().orElseThrow());
    }
    // start and startup also read the configuration file they hand to the master.
    boolean withConfig =
        (args.command() == Command.START && args.app().isEmpty())
            || args.command() == Command.STARTUP;
    settings =
        CliSettings.load(
            System.getProperties(), withConfig ? Optional.of(configFile(args)) : Optional.empty());
    home = CliHome.fromEnvironment(env, settings);
    AdminCommands admin = new AdminCommands(home, out, unicode());
    switch (args.command()) {
      case START:
        return args.app().isPresent()
            ? admin.processAction("start", args.app().get(), args.json())
            : daemon().start(configFile(args));
      case STOP:
        // Without an argument the daemon, as always; with one, a process of the running master.
        return args.app().isPresent()
            ? admin.processAction("stop", args.app().get(), args.json())
            : daemon().stop();
      case STATUS:
        return admin.status(args.json());
      case APPS:
        return admin.apps(args.json());
      case RESTART:
        return admin.restartOrReload("restart", args.app(), args.json());
      case RELOAD:
        return admin.restartOrReload("reload", args.app(), args.json());
      case SCALE:
        return admin.scale(args.app().orElseThrow(), args.instances(), args.json());
      case PUBLISH:
        return admin.publish(args.message().orElseThrow(), args.json());
      case SEND:
        return admin.send(args.message().orElseThrow(), args.json());
      case LOGS:
        requireKnownApp(args.app());
        // The master's own processes are read here; the agents' through the master, if it runs.
        Optional<LogsCommand.Remote> agents =
            home.master().isPresent()
                ? Optional.of((n, after) -> home.connect().logs(args.app(), n, after))
                : Optional.empty();
        return new LogsCommand(out, err, args.json(), LogsCommand.every(settings.followInterval()))
            .run(home.logs(), args.app(), args.lines(), args.follow(), agents);
      case MONIT:
        return new MonitCommand(home.connect(), out, unicode()).run(args.follow(), args.json());
      case DASHBOARD:
        return dashboard(home.connect(), args.json());
      case JOBS:
        return new JobCommands(home, out).list(args.json());
      case JOB_RUN:
        return new JobCommands(home, out)
            .run(
                args.app().orElseThrow(),
                args.jobRun().pairs(),
                args.jobRun().deadline(),
                args.json());
      case SCHEDULES:
        return admin.schedules(args.json());
      case STARTUP:
        return startup(configFile(args));
      default:
        throw new IllegalStateException("no handler for " + args.command());
    }
  }

  /**
   * {@code logs APP} of an app that has no logs is an unknown app (exit 5), unless the running
   * master knows it (it may not have written a line yet): {@code -f} must not wait silently for
   * logs that will never come.
   */
  private void requireKnownApp(Optional<String> app) throws CliException {
    if (app.isEmpty()) {
      return;
    }
    try {
      if (!LogSources.find(home.logs(), app).isEmpty()) {
        return;
      }
    } catch (java.io.IOException e) {
      throw CliException.failure("cannot read the logs in " + home.logs() + ": " + e);
    }
    boolean running = home.master().isPresent();
    if (running && AdminCommands.knownNames(home.connect()).contains(app.get())) {
      return;
    }
    throw new CliException(
        CliException.UNKNOWN_APP,
        "unknown app '"
            + app.get()
            + "': no logs in "
            + home.logs()
            + (running ? ", and the master has no such app" : " (the master is not running)"));
  }

  /**
   * {@code dashboard}: the master makes a one-time code; the URL is on its admin address, so the
   * admin token itself never leaves this process.
   */
  private int dashboard(AdminClient client, boolean json) throws CliException {
    AdminClient.Answer answer = client.loginCode();
    if (json) {
      out.println(answer.body());
      return 0;
    }
    out.println(client.base() + answer.json().path("path").asText());
    out.println(
        "(one login, within "
            + answer.json().path("expiresInSeconds").asLong()
            + " s: open it in a browser on this machine)");
    return 0;
  }

  private Daemon daemon() throws CliException {
    return new Daemon(home, installation(), env, settings, out, err);
  }

  /** The file of {@code --config}, else the installation's conf/overseer.conf; absolute. */
  private Path configFile(CliArgs args) throws CliException {
    Optional<String> given = args.config();
    Path file = given.isPresent() ? Path.of(given.get()) : installation().defaultConfig();
    return file.toAbsolutePath().normalize();
  }

  private int startup(Path configFile) throws CliException {
    Installation installation = installation();
    Path java = Path.of(ProcessHandle.current().info().command().orElse("/usr/bin/java"));
    if (!Files.isRegularFile(configFile)) {
      err.println("note: " + configFile + " does not exist yet; the unit will fail until it does");
    }
    String user = System.getProperty("user.name");
    out.print(
        SystemdUnit.render(
            installation,
            configFile,
            home.directory(),
            user,
            java.getParent(),
            settings.stopTimeout()));
    return 0;
  }

  /** The installation: {@code $OVERSEER_ROOT} (bin/overseer sets it), else this jar's. */
  private Installation installation() throws CliException {
    try {
      return Installation.locate(env);
    } catch (IllegalStateException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  /** Whether the locale promises UTF-8; otherwise tables stick to ASCII rather than print '?'. */
  private boolean unicode() {
    for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
      String value = env.get(name);
      if (value != null && !value.isEmpty()) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.contains("utf-8") || lower.contains("utf8");
      }
    }
    return false;
  }
}
