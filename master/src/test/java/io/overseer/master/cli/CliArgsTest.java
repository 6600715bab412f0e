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
  void helpInEveryForm() throws Exception {
    for (List<String> argv : List.of(List.of("help"), List.of("--help"), List.of("-h"), List.of("status", "--help"))) {
      assertEquals(Command.HELP, CliArgs.parse(argv.toArray(String[]::new)).command(), argv.toString());
    }
  }

  @Test
  void usageErrorsNameTheProblem() {
    assertEquals("no command given", usageError().getMessage());
    assertEquals("unknown command 'frobnicate'", usageError("frobnicate").getMessage());
    assertEquals("unknown option '--verbose'", usageError("status", "--verbose").getMessage());
    assertEquals("'stop' does not take --json", usageError("stop", "--json").getMessage());
    assertEquals("-n needs a value", usageError("logs", "-n").getMessage());
    assertEquals("--json takes no value", usageError("status", "--json=yes").getMessage());
    assertTrue(usageError("status", "extra").getMessage().startsWith("usage: overseer status"));
    assertTrue(usageError("scale", "web").getMessage().startsWith("usage: overseer scale APP N"));
    assertTrue(usageError("restart", "a", "b").getMessage().startsWith("usage: overseer restart"));
    assertTrue(usageError("run").getMessage().contains("bin/overseer run"));
  }

  @Test
  void numbersMustBeNonNegativeIntegers() {
    assertEquals("N must be a non-negative integer, not '-1'", usageError("scale", "web", "-1").getMessage());
    assertEquals("N must be a non-negative integer, not 'two'", usageError("scale", "web", "two").getMessage());
    assertEquals("N must be a non-negative integer, not '1.5'", usageError("scale", "web", "1.5").getMessage());
    assertEquals("N must be a non-negative integer, not '99999999999'",
        usageError("scale", "web", "99999999999").getMessage());
    assertEquals("-n must be a non-negative integer, not 'x'", usageError("logs", "-n", "x").getMessage());
  }

  @Test
  void aUsageErrorExitsTwoWithTheUsageOnStderr() {
    CliRun run = CliRun.run(Map.of(), "scale", "web", "many");
    assertEquals(CliException.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("N must be a non-negative integer"), run.toString());
    assertTrue(run.err().contains("usage: overseer <command>"), run.toString());
    assertEquals("", run.out());
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndSucceeds() {
    CliRun run = CliRun.run(Map.of(), "help");
    assertEquals(0, run.exitCode(), run.toString());
    for (Command command : Command.values()) {
      assertTrue(run.out().contains("  " + command.word), command.word + " is documented");
    }
  }
}
