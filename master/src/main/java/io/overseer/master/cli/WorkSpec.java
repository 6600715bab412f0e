package io.overseer.master.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that give the workers work, declared for picocli: publish, send, jobs, job run.
 * Registered in {@link CliSpec}.
 */
final class WorkSpec {
  private WorkSpec() {}

  @Command(
      name = "publish",
      description = "Publish a JSON message on TOPIC to every process that subscribes it.")
  static final class Publish {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic, e.g. cache.")
    String topic;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message, e.g. '{\"drop\":1}'.")
    String message;
  }

  @Command(
      name = "send",
      description = "Send a JSON message to one worker process (its ProcessListeners), e.g. web-1.")
  static final class Send {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;

    @Parameters(index = "0", paramLabel = "ID", description = "The process id, as status shows it.")
    String id;

    @Parameters(index = "1", paramLabel = "JSON", description = "The message.")
    String message;
  }

  @Command(name = "jobs", description = "List the jobs (overseer.jobs).")
  static final class Jobs {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;
  }

  @Command(
      name = "job",
      description = "Run a job.",
      synopsisSubcommandLabel = "run",
      subcommands = {JobRun.class})
  static final class Job {
    @Mixin CliSpec.HelpOption help;
  }

  @Command(
      name = "run",
      description =
          "Run job NAME once on a worker, wait for it, print its result (exit 1 if it fails).")
  static final class JobRun {
    @Mixin CliSpec.HelpOption help;
    @Mixin CliSpec.JsonOption json;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job.")
    String name;

    @Option(
        names = "--arg",
        paramLabel = "K=V",
        description =
            "An argument, repeatable; V is the JSON value it spells (10, true, [1,2], \"10\")"
                + " or else text.")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Option(
        names = "--deadline",
        paramLabel = "DURATION",
        description =
            "How long to wait for this run (500ms, 30s, 2m), at most the job's configured"
                + " deadline; past it the run is cancelled.")
    String deadline;
  }
}
