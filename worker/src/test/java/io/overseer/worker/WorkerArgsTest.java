package io.overseer.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerArgsTest {
  private static WorkerArgs parse(String... argv) {
    return WorkerArgs.parse(argv, 77);
  }

  private static String refused(String... argv) {
    return assertThrows(WorkerArgs.BadArguments.class, () -> parse(argv)).getMessage();
  }

  @Test
  void byHandOnlyTheMasterIsNeeded() {
    WorkerArgs args = parse("--join", "10.0.0.1:25520");
    assertEquals("10.0.0.1:25520", args.join());
    assertEquals("ext-77", args.id());
    assertEquals("", args.app());
    assertEquals("127.0.0.1", args.host());
    assertEquals(0, args.port());
    assertFalse(args.watchStdin());
    assertNull(args.config());
  }

  @Test
  void theMastersCommandLine() {
    WorkerArgs args =
        parse(
            "--join",
            "127.0.0.1:25520",
            "--app",
            "web",
            "--id",
            "web-1",
            "--port",
            "4000",
            "--watch-stdin");
    assertEquals("web", args.app());
    assertEquals("web-1", args.id());
    assertEquals(4000, args.port());
    assertTrue(args.watchStdin());
  }

  @Test
  void bindAddressAndTlsFilesByOption() {
    WorkerArgs args =
        parse(
            "--join",
            "10.0.0.1:25520",
            "--host",
            "203.0.113.5",
            "--bind-host",
            "0.0.0.0",
            "--bind-port",
            "25600",
            "--tls-dir",
            "/etc/overseer/tls");
    assertEquals("0.0.0.0", args.bindHost());
    assertEquals("25600", args.bindPort());
    assertEquals(java.nio.file.Path.of("/etc/overseer/tls"), args.tls().dir());
    assertTrue(args.tls().given());
    assertFalse(parse("--join", "h:1").tls().given(), "plain TCP unless asked");
    assertEquals("", parse("--join", "h:1").bindHost(), "binds where it advertises");
    assertEquals(
        "--bind-port must be 0..65535, got: 99999",
        refused("--join", "h:1", "--bind-port", "99999"));
  }

  @Test
  void badCommandLinesNameTheirProblem() {
    assertTrue(refused().contains("--join"), "the master is required");
    assertTrue(refused("--join", "127.0.0.1:1", "--nope").contains("--nope"));
    assertTrue(refused("--join").contains("--join"), "a value is required");
    assertEquals("--join must be HOST:PORT, got: nowhere", refused("--join", "nowhere"));
    assertTrue(refused("--join", "h:1", "--port", "abc").contains("abc"));
    assertEquals(
        "--port must be 0..65535, got: 70000", refused("--join", "h:1", "--port", "70000"));
    assertTrue(
        refused("--join", "h:1", "--config", "/no/such/file.conf")
            .startsWith("--config: no such file"));
  }

  @Test
  void helpIsNotAnErrorAndListsEveryOption() {
    assertThrows(WorkerArgs.HelpRequested.class, () -> parse("--help"));
    String usage = WorkerArgs.usage();
    for (String option :
        new String[] {"--join", "--app", "--id", "--host", "--port", "--watch-stdin", "--config"}) {
      assertTrue(usage.contains(option), option + " in:\n" + usage);
    }
  }

  @Test
  void theQuickReadingOfTheMastersFormGivesWhatPicocliGives() throws java.io.IOException {
    java.nio.file.Path configFile = java.nio.file.Files.createTempFile("worker-args", ".conf");
    // WorkerArgs.quick reads the plain form without picocli (a worker's start); anything it would
    // read differently falls back to picocli, so each command line it takes must come out equal.
    String[][] quick = {
      {"--join", "127.0.0.1:25520"},
      {
        "--join",
        "127.0.0.1:25520",
        "--host",
        "127.0.0.1",
        "--app",
        "web",
        "--config",
        configFile.toString()
      },
      {"--join", "h:1", "--app", "web", "--id", "web-0", "--watch-stdin", "--port", "4000"},
      {
        "--join", "10.0.0.1:25520", "--host", "203.0.113.5", "--bind-host", "0.0.0.0",
        "--bind-port", "25600", "--tls-dir", "/etc/tls", "--tls-key-file", "k.pem",
        "--tls-cert-file", "c.pem", "--tls-ca-file", "ca.pem"
      },
    };
    for (String[] argv : quick) {
      assertNotNull(WorkerArgs.quick(argv), String.join(" ", argv));
      assertEquals(WorkerArgs.parseWithPicocli(argv, 77), parse(argv), String.join(" ", argv));
    }
    // Left to picocli: help, unknown, repeated, valueless or dash-led values, --name=value, odd
    // ports; each of these is refused or read by picocli as before.
    String[][] picocli = {
      {},
      {"--help"},
      {"--join", "h:1", "-h"},
      {"--join", "h:1", "--nope", "x"},
      {"--join", "h:1", "--app", "a", "--app", "b"},
      {"--join"},
      {"--join", "h:1", "--app", "--id", "x"},
      {"--join=h:1"},
      {"--join", "h:1", "--port", "+5"},
      {"--join", "h:1", "--port", "-1"},
      {"--join", "h:1", "--watch-stdin", "true"},
      {"--app", "web"},
    };
    for (String[] argv : picocli) {
      assertNull(WorkerArgs.quick(argv), String.join(" ", argv));
    }
    assertEquals(5, parse("--join", "h:1", "--port", "+5").port(), "picocli reads it");
    java.nio.file.Files.delete(configFile);
  }
}
