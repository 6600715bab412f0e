package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rule that no code sleeps: production code paces itself with a scheduler, tests wait for
 * a condition with a deadline (Awaitility, probes), never for a fixed time.
 */
class NoSleepTest {
  /** Spelled in two parts so that this file does not find itself. */
  private static final String SLEEP = "Thread" + ".sleep(";

  @Test
  void noJavaSourceOfTheProjectCallsThreadSleep() throws IOException {
    // Surefire runs in the module's directory: the project is its parent.
    Path project = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isRegularFile(project.resolve("pom.xml")), project.toString());
    List<String> offenders;
    try (Stream<Path> files = Files.walk(project)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(p -> project.relativize(p).toString())
              .filter(p -> !p.contains("target/") && !p.startsWith("."))
              .filter(p -> sleeps(project.resolve(p)))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), offenders);
    assertTrue(
        Files.isRegularFile(
            project.resolve("master/src/main/java/io/overseer/master/cli/MonitCommand.java")),
        "the walk covers the sources");
  }

  private static boolean sleeps(Path file) {
    try {
      return Files.readString(file).contains(SLEEP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
