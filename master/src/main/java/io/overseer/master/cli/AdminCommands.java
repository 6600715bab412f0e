package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands that are one or more admin API calls: status, apps, restart, reload, scale,
 * schedules.
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

  int scale(String app, int instances, boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().scale(app, instances);
    String done = "scaled " + app + " to " + instances + " instance" + (instances == 1 ? "" : "s");
    out.println(json ? answer.body() : withMessage(done, answer.json()));
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
