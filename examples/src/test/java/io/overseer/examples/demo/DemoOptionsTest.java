package io.overseer.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
  private final DemoOptions defaults = DemoOptions.defaults();

  @Test
  void defaultsComeFromReferenceConf() {
    assertEquals(
        new DemoOptions("127.0.0.1", 9090, 4, Duration.ofMillis(300), 3, Duration.ofSeconds(1)),
        defaults);
  }

  @Test
  void flagsOverrideTheDefaults() {
    DemoOptions parsed =
        defaults.parse(
            new String[] {
              "--port",
              "0",
              "--host",
              "0.0.0.0",
              "--reviews-delay",
              "2s",
              "--flaky-every",
              "5",
              "--threads",
              "2",
              "--stop-grace",
              "250"
            });
    assertEquals(
        new DemoOptions("0.0.0.0", 0, 2, Duration.ofSeconds(2), 5, Duration.ofMillis(250)), parsed);
  }

  @Test
  void badFlagsAreNamed() {
    assertTrue(
        assertThrows(
                DemoOptions.BadArguments.class, () -> defaults.parse(new String[] {"--bogus", "1"}))
            .getMessage()
            .contains("--bogus"));
    assertTrue(
        assertThrows(DemoOptions.BadArguments.class, () -> defaults.parse(new String[] {"--port"}))
            .getMessage()
            .contains("needs a value"));
    assertTrue(
        assertThrows(
                DemoOptions.BadArguments.class, () -> defaults.parse(new String[] {"--port", "x"}))
            .getMessage()
            .contains("--port"));
    assertThrows(
        DemoOptions.BadArguments.class, () -> defaults.parse(new String[] {"--port", "70000"}));
    assertThrows(
        DemoOptions.BadArguments.class,
        () -> defaults.parse(new String[] {"--reviews-delay", "soon"}));
    assertThrows(
        DemoOptions.BadArguments.class, () -> defaults.parse(new String[] {"--flaky-every", "-1"}));
  }

  @Test
  void helpShowsEveryFlagWithItsDefault() {
    String usage = defaults.usage();
    for (String expected :
        new String[] {
          "--host H",
          "(127.0.0.1)",
          "--port P",
          "(9090)",
          "--threads N",
          "(4)",
          "--reviews-delay D",
          "(300ms)",
          "--flaky-every N",
          "(3)",
          "--stop-grace D",
          "(1000ms)",
          "/flaky/"
        }) {
      assertTrue(usage.contains(expected), expected + " in\n" + usage);
    }
    assertTrue(DemoOptions.wantsHelp(new String[] {"--port", "1", "--help"}));
  }
}
