package io.overseer.master.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code overseer certs}: exit codes and one-line errors, as every other command. */
class CertsCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... argv) {
    err.reset();
    return OverseerCli.run(
        argv,
        Map.of(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String error() {
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void createsTheCaThenNodesAndRefusesToOverwriteThem() throws Exception {
    String pki = dir.resolve("pki").toString();
    assertEquals(0, run("certs", "ca", "--dir", pki, "--validity", "30d"), error());
    assertEquals(
        0,
        run("certs", "node", "host2", "--dir", pki, "--host", "10.0.0.2", "--validity", "7d"),
        error());
    assertTrue(Files.isRegularFile(dir.resolve("pki/host2/node.key")));
    assertEquals(1, run("certs", "ca", "--dir", pki));
    assertTrue(error().endsWith("already exists; it is never overwritten (move it away first)"));
    assertEquals(1, run("certs", "node", "host2", "--dir", pki));
    // The default node validity (365d) would outlive this 30-day CA.
    assertEquals(1, run("certs", "node", "host3", "--dir", pki));
    assertTrue(error().contains("cannot outlive its CA"), error());
  }

  @Test
  void usageErrorsExitWith2NamingTheHelp() {
    assertEquals(2, run("certs"));
    assertEquals("certs needs what to create: ca or node (see: overseer certs --help)", error());
    assertEquals(2, run("certs", "node", "host2"));
    assertEquals("--dir needs a value (see: overseer certs node --help)", error());
    assertEquals(2, run("certs", "ca", "--dir", dir.toString(), "--validity", "soon"));
    assertTrue(error().startsWith("--validity must be a duration such as 365d"), error());
    assertEquals(1, run("certs", "node", "host2", "--dir", dir.resolve("none").toString()));
    assertTrue(error().startsWith("no CA in"), error());
  }
}
