package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliArgsTest {

  private static CliException usageError(String... argv) {
    CliException e = assertThrows(CliException.class, () -> CliArgs.parse(argv));
    assertEquals(CliException.USAGE, e.exitCode(), e.getMessage());
    return e;
  }

  @Test
  void publishAndSendTakeATargetAndAJsonMessageCheckedHere() throws Exception {
    CliArgs publish = CliArgs.parse("publish", "cache", "{\"drop\":true}", "--json");
    assertEquals(Command.PUBLISH, publish.command());
    assertEquals(
        Optional.of(new CliArgs.MessageArgs("cache", "{\"drop\":true}")), publish.message());
    assertTrue(publish.json());
    CliArgs send = CliArgs.parse("send", "web-1", "7");
    assertEquals(Command.SEND, send.command());
    assertEquals(Optional.of(new CliArgs.MessageArgs("web-1", "7")), send.message());

    assertTrue(usageError("publish", "cache", "{nope").getMessage().contains("JSON is not JSON"));
    assertTrue(usageError("publish", "cache", "{} {}").getMessage().contains("JSON is not JSON"));
    assertTrue(usageError("publish", "cache", "").getMessage().contains("JSON is empty"));
    assertTrue(usageError("publish", "cache").getMessage().contains("missing JSON"));
    assertTrue(usageError("send", "web-1").getMessage().contains("missing JSON"));
  }

  @Test
  void commandsWithTheirArgumentsAndOptions() throws Exception {
    CliArgs status = CliArgs.parse("status", "--json");
    assertEquals(Command.STATUS, status.command());
    assertTrue(status.json());

    CliArgs scale = CliArgs.parse("scale", "web", "3");
    assertEquals(Optional.of("web"), scale.app());
    assertEquals(3, scale.instances());
    assertFalse(scale.json());

    CliArgs restartAll = CliArgs.parse("restart");
    assertEquals(Optional.empty(), restartAll.app());

    CliArgs start = CliArgs.parse("start", "--config", "conf/x.conf");
    assertEquals(Optional.of("conf/x.conf"), start.config());
    assertEquals(Optional.of("y.conf"), CliArgs.parse("startup", "--config=y.conf").config());
    assertEquals(Optional.empty(), CliArgs.parse("start").config());

    assertEquals(Optional.empty(), CliArgs.parse("stop").app(), "the daemon");
    CliArgs stopOne = CliArgs.parse("stop", "web-0@h2");
    assertEquals(Command.STOP, stopOne.command());
    assertEquals(Optional.of("web-0@h2"), stopOne.app());
    CliArgs startOne = CliArgs.parse("start", "web-0");
    assertEquals(Command.START, startOne.command());
    assertEquals(Optional.of("web-0"), startOne.app());
    assertEquals(Optional.of("web-1"), CliArgs.parse("restart", "web-1").app());
  }

  @Test
  void logsOptionsInAnyOrder() throws Exception {
    CliArgs logs = CliArgs.parse("logs", "-f", "web", "-n", "5", "--json");
    assertEquals(Optional.of("web"), logs.app());
    assertEquals(5, logs.lines());
    assertTrue(logs.follow());
    assertTrue(logs.json());
    CliArgs defaults = CliArgs.parse("logs");
    assertEquals(CliArgs.DEFAULT_LOG_LINES, defaults.lines());
    assertFalse(defaults.follow());
    assertEquals(7, CliArgs.parse("logs", "--lines=7", "--follow").lines());
  }

  @Test
  void helpInEveryFormIsTheGeneratedUsage() throws Exception {
    String overall = CliArgs.parse("help").help();
    assertTrue(overall.startsWith("Usage: overseer [-h] <command>"), overall);
    for (List<String> argv : List.of(List.of("--help"), List.of("-h"))) {
      CliArgs help = CliArgs.parse(argv.toArray(String[]::new));
      assertEquals(Command.HELP, help.command(), argv.toString());
      assertEquals(overall, help.help(), argv.toString());
    }
    String scale = CliArgs.parse("help", "scale").help();
    assertTrue(scale.startsWith("Usage: overseer scale [-h] [--json] APP N"), scale);
    assertEquals(scale, CliArgs.parse("scale", "--help").help());
    assertEquals(scale, CliArgs.parse("scale", "web", "-h").help(), "help wins over a missing N");
  }

  @Test
  void usageErrorsNameTheProblemAndTheHelpToRead() {
    assertEquals("no command given", usageError().getMessage());
    assertEquals(
        "unknown command 'frobnicate' (did you mean job or jobs or monit?) (see: overseer help)",
        usageError("frobnicate").getMessage());
    assertEquals(
        "unknown option '--verbose' (see: overseer status --help)",
        usageError("status", "--verbose").getMessage());
    assertEquals(
        "'stop' does not take --json (see: overseer stop --help)",
        usageError("stop", "--json").getMessage());
    assertEquals(
        "-n needs a value (see: overseer logs --help)", usageError("logs", "-n").getMessage());
    assertEquals(
        "--json takes no value (see: overseer status --help)",
        usageError("status", "--json=yes").getMessage());
    assertEquals(
        "unexpected argument 'extra'; usage: overseer status [-h] [--json] (see: overseer status --help)",
        usageError("status", "extra").getMessage());
    assertEquals(
        "missing N; usage: overseer scale [-h] [--json] APP N (see: overseer scale --help)",
        usageError("scale", "web").getMessage());
    assertTrue(
        usageError("restart", "a", "b")
            .getMessage()
            .startsWith("unexpected argument 'b'; usage: overseer restart"));
    assertTrue(usageError("scale").getMessage().startsWith("missing APP"));
    assertTrue(usageError("run").getMessage().contains("bin/overseer run"));
    assertEquals(
        "unknown command 'nope' (see: overseer help --help)",
        usageError("help", "nope").getMessage());
    assertTrue(usageError("start", "--config=").getMessage().startsWith("--config needs a file"));
    assertEquals(
        "start PROCESS takes no --config (the master is running) (see: overseer start --help)",
        usageError("start", "web-0", "--config", "x.conf").getMessage());
    assertTrue(
        usageError("stop", "web-0", "web-1")
            .getMessage()
            .startsWith("unexpected argument 'web-1'; usage: overseer stop"));
  }

  @Test
  void numbersMustBeNonNegativeIntegers() {
    for (String n : List.of("-1", "two", "1.5", "99999999999")) {
      assertEquals(
          "N must be a non-negative integer, not '" + n + "' (see: overseer scale --help)",
          usageError("scale", "web", n).getMessage());
    }
    assertEquals(
        "-n must be a non-negative integer, not 'x' (see: overseer logs --help)",
        usageError("logs", "-n", "x").getMessage());
  }

  @Test
  void anAtSignIsAnArgumentNotAFileToRead() throws Exception {
    assertEquals(Optional.of("@web"), CliArgs.parse("restart", "@web").app());
  }

  @Test
  void aUsageErrorExitsTwoWithOneLineOnStderr() {
    CliRun run = CliRun.run(Map.of(), "scale", "web", "many");
    assertEquals(CliException.USAGE, run.exitCode(), run.toString());
    assertEquals(
        "N must be a non-negative integer, not 'many' (see: overseer scale --help)\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndSucceeds() {
    CliRun run = CliRun.run(Map.of(), "help");
    assertEquals(0, run.exitCode(), run.toString());
    for (String command :
        List.of(
            "run",
            "start",
            "stop",
            "status",
            "apps",
            "restart",
            "reload",
            "scale",
            "logs",
            "schedules",
            "startup",
            "help")) {
      assertTrue(run.out().contains("\n  " + command + " "), command + " is documented");
    }
    assertTrue(
        run.out().contains("Exit codes: 0 done, 1 failed, 2 usage error, 3 overseer not running"),
        run.out());
    assertEquals("", run.err());
    CliRun logs = CliRun.run(Map.of(), "logs", "--help");
    assertEquals(0, logs.exitCode(), logs.toString());
    assertTrue(logs.out().contains("-n, --lines=N"), logs.out());
  }

  @Test
  void jobRunTakesANameAndRepeatedArguments() throws Exception {
    CliArgs run = CliArgs.parse("job", "run", "count-primes", "--arg", "n=10", "--arg=label=a=b");
    assertEquals(Command.JOB_RUN, run.command());
    assertEquals(Optional.of("count-primes"), run.app());
    assertEquals(List.of("n=10", "label=a=b"), run.jobRun().pairs());
    assertTrue(CliArgs.parse("job", "run", "x", "--json").json());
    assertEquals(Command.JOBS, CliArgs.parse("jobs").command());
    assertEquals(
        "--arg needs NAME=VALUE, not 'n' (see: overseer job run --help)",
        usageError("job", "run", "x", "--arg", "n").getMessage());
    assertEquals(
        "--arg needs NAME=VALUE, not '=5' (see: overseer job run --help)",
        usageError("job", "run", "x", "--arg", "=5").getMessage());
    assertTrue(
        usageError("job", "run").getMessage().startsWith("missing NAME"),
        usageError("job", "run").getMessage());
    assertEquals(
        "job needs what to do: run NAME (see: overseer job --help)",
        usageError("job").getMessage());
  }
}
