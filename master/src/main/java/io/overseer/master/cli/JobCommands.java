package io.overseer.master.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.overseer.master.jobs.JobArguments;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code overseer jobs} and {@code overseer job run NAME --arg k=v}: the admin API's {@code
 * /_admin/jobs}. A run that does not succeed is a failure (exit 1) naming the job's status and
 * cause ({@link AdminClient#check}).
 */
final class JobCommands {
  private final CliHome home;
  private final PrintStream out;

  JobCommands(CliHome home, PrintStream out) {
    this.home = home;
    this.out = out;
  }

  int list(boolean json) throws CliException {
    AdminClient.Answer answer = home.connect().jobs();
    if (json) {
      out.println(answer.body());
      return 0;
    }
    String format = "%-20s %-8s %-10s %-8s %s%n";
    out.printf(format, "NAME", "KIND", "APP", "DEADLINE", "ROUTE");
    for (JsonNode job : answer.json().path("jobs")) {
      JsonNode route = job.path("route");
      out.printf(
          format,
          job.path("name").asText(),
          job.path("kind").asText(),
          job.path("app").asText(),
          job.path("deadlineMillis").asLong() / 1000.0 + "s",
          route.isObject()
              ? route.path("method").asText() + " " + route.path("path").asText()
              : "-");
    }
    return 0;
  }

  /**
   * @param pairs {@code K=V} each (checked by {@link CliArgs}); a name given twice is an error
   * @param deadline {@code --deadline}: the master refuses one above the job's deadline
   */
  int run(String job, List<String> pairs, java.util.Optional<String> deadline, boolean json)
      throws CliException {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq);
      if (args.has(name)) {
        throw CliException.usage("--arg " + name + " given twice");
      }
      args.set(name, JobArguments.value(pair.substring(eq + 1)));
    }
    AdminClient.Answer answer = home.connect().runJob(job, args.toString(), deadline);
    out.println(json ? answer.body() : answer.json().path("result").toPrettyString());
    return 0;
  }
}
