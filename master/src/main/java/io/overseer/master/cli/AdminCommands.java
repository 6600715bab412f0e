package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands that are one or more admin API calls: status, apps, restart, reload, scale, restart,
 * stop, start of one process, and schedules.
 */
final class AdminCommands {
  private final CliHome home;
  private final PrintStream out;
  private final boolean unicode;

  /**
   * @param unicode whether the terminal shows characters beyond ASCII (the ↺ column)
   */
  AdminCommands(CliHome home, PrintStream out, boolean unicode) {
    this.home = home;
    this.out = out;
    this.unicode = unicode;
  }

  int status(boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().workers();
    out.print(json ? answer.body() + "\n" : StatusTable.workers(answer.json(), unicode));
    return 0;
  }

  int apps(boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().apps();
    out.print(json ? answer.body() + "\n" : StatusTable.apps(answer.json()));
    return 0;
  }

  int schedules(boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().schedules();
    out.print(json ? answer.body() + "\n" : SchedulesTable.of(answer.json()));
    return 0;
  }

  /**
   * {@code restart} or {@code reload} of one app, or of every app in turn; stops at the first
   * failure, so a broken app is not followed by restarts the user did not see coming.
   */
  int restartOrReload(String action, Optional<String> app, boolean json) throws CliException {
    AdminClient client = home.connect();
    if (app.isPresent() && action.equals("restart") && !appNames(client).contains(app.get())) {
      try {
        return processAction(client, action, app.get(), json); // an app name keeps its meaning
      } catch (CliException e) {
        throw e.exitCode() == CliException.UNKNOWN_APP
            ? CliException.unknownProcess("unknown app or process '" + app.get() + "'")
            : e;
      }
    }
    List<String> names = app.isPresent() ? List.of(app.get()) : appNames(client);
    if (names.isEmpty()) {
      out.println("no apps to " + action);
    }
    for (String name : names) {
      AdminClient.Answer answer = client.appAction(name, action);
      out.println(json ? answer.body() : summary(action, name, answer.json()));
    }
    return 0;
  }

  /** {@code restart|stop|start PROCESS}: one process of any host, by its id. */
  int processAction(String action, String process, boolean json) throws CliException {
    return processAction(home.connect(), action, process, json);
  }

  private int processAction(AdminClient client, String action, String process, boolean json)
      throws CliException {
    AdminClient.Answer answer = client.processAction(process, action);
    out.println(json ? answer.body() : answer.json().path("message").asText(action + " done"));
    return 0;
  }

  int scale(String app, int instances, boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().scale(app, instances);
    String done = "scaled " + app + " to " + instances + " instance" + (instances == 1 ? "" : "s");
    out.println(json ? answer.body() : withMessage(done, answer.json()));
    return 0;
  }

  /** {@code publish TOPIC JSON}: says how many nodes subscribe it (none: it went nowhere). */
  int publish(CliArgs.MessageArgs message, boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().publish(message.target(), message.json());
    int nodes = answer.json().path("subscribers").asInt();
    out.println(
        json
            ? answer.body()
            : nodes == 0
                ? "published on " + message.target() + ", but no process subscribes it"
                : "published on "
                    + message.target()
                    + " to "
                    + nodes
                    + " subscribing process"
                    + (nodes == 1 ? "" : "es"));
    return 0;
  }

  /** {@code send ID JSON}: fails (exit 1) when no process of that id listens. */
  int send(CliArgs.MessageArgs message, boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().sendMessage(message.target(), message.json());
    out.println(json ? answer.body() : "sent to " + message.target());
    return 0;
  }

  /** The names of the master's apps. */
  static List<String> appNames(AdminClient client) throws CliException {
    List<String> names = new ArrayList<>();
    for (JsonNode app : client.apps().json().path("apps")) {
      if (app.hasNonNull("name")) {
        names.add(app.get("name").asText());
      }
    }
    return names;
  }

  /** The master's apps and the ids of every process of any host ({@code web-0@h2}). */
  static java.util.Set<String> knownNames(AdminClient client) throws CliException {
    java.util.Set<String> names = new java.util.HashSet<>(appNames(client));
    for (JsonNode process : client.workers().json().path("workers")) {
      if (process.hasNonNull("id")) {
        names.add(process.get("id").asText());
      }
    }
    return names;
  }

  /** "restarted web", then the master's message about the outcome if it sent one. */
  private static String summary(String action, String app, JsonNode answer) {
    String done = (action.endsWith("e") ? action + "d " : action + "ed ") + app;
    return withMessage(done, answer);
  }

  private static String withMessage(String done, JsonNode answer) {
    String message = answer.path("message").asText("");
    return message.isEmpty() ? done : done + ": " + message;
  }
}
