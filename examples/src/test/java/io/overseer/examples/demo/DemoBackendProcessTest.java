package io.overseer.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo backend as Overseer runs it: its own JVM, stopped with SIGTERM. */
class DemoBackendProcessTest {
  private static final long WAIT_SECONDS = 60;

  /** What a JVM that ran its shutdown hooks on SIGTERM exits with (128 + 15). */
  private static final int EXIT_ON_SIGTERM = 143;

  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void servesThenExitsCleanlyOnSigterm() throws Exception {
    process = java("--port", "0", "--reviews-delay", "0ms");
    int port = Integer.parseInt(awaitLine(LISTENING).group(1));
    assertEquals(200, new DemoHttp(port).get("/products/1").status());

    // SIGTERM, as Overseer stops a command app (Process.destroy would also close our end of its
    // output).
    process.toHandle().destroy();
    assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "exited after SIGTERM");
    assertEquals(EXIT_ON_SIGTERM, process.exitValue());
    awaitLine(Pattern.compile("demo backend stopped$"));
    assertThrows(
        UncheckedIOException.class, () -> new DemoHttp(port).get("/products/1"), "port released");
  }

  @Test
  void badFlagExitsWithUsage() throws Exception {
    process = java("--nope");
    assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(DemoBackend.BAD_ARGUMENTS, process.exitValue());
    awaitLine(Pattern.compile("unknown argument: --nope"));
  }

  private Process java(String... flags) throws IOException {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                DemoBackend.class.getName()));
    command.addAll(java.util.List.of(flags));
    Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> pump(started), "demo-backend-output");
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  private void pump(Process from) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8))) {
      lines.lines().forEach(output::add);
    } catch (IOException | UncheckedIOException e) {
      output.add("(output closed: " + e + ")");
    }
  }

  private Matcher awaitLine(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.append(line).append('\n');
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
    throw new AssertionError("no line matching " + pattern + " in:\n" + seen);
  }
}
