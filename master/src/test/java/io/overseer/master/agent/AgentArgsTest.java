package io.overseer.master.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentArgsTest {
  @Test
  void defaultsAndLabels() {
    AgentArgs args =
        AgentArgs.parse(
            new String[] {"--join", "10.0.0.1:25520", "--name", "h2", "--labels", "gpu, eu"});
    assertEquals("10.0.0.1:25520", args.join());
    assertEquals(Set.of("gpu", "eu"), args.labels());
    assertEquals("127.0.0.1", args.host());
    assertEquals(25521, args.port());
    assertEquals(Set.of(), AgentArgs.parse(new String[] {"--join", "m:1", "--name", "h"}).labels());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--name h2                                | Missing required option: '--join=HOST:PORT'",
        "--join m:1                               | Missing required option: '--name=NAME'",
        "--join m --name h2                       | --join must be HOST:PORT, got: m",
        "--join m:1 --name ../x                   | --name must be letters, digits, '_', '.', '-', got: \"../x\"",
        "--join m:1 --name h2 --port 0            | --port must be 1..65535, got: 0",
        "--join m:1 --name h2 --port 70000        | --port must be 1..65535, got: 70000",
        "--join m:1 --name h2 --labels a,,b       | --labels must be names (letters, digits, _ . -) separated by commas, got: \"a,,b\"",
        "--join m:1 --name h2 --labels a/b        | --labels must be names (letters, digits, _ . -) separated by commas, got: \"a/b\"",
        "--join m:1 --name h2 --bogus             | Unknown option: '--bogus'",
      })
  void badArgumentsAreRefusedNamingTheProblem(String argv, String message) {
    assertEquals(
        message,
        assertThrows(AgentArgs.BadArguments.class, () -> AgentArgs.parse(argv.trim().split("\\s+")))
            .getMessage());
  }
}
