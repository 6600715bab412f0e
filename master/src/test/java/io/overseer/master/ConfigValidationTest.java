package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {
  private static final Path FILE = Path.of("/etc/overseer/test.conf");

  private static Config load(String hocon) {
    return ClusterConfig.load(
        ConfigFactory.parseString(
            hocon,
            com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("test.conf")),
        "overseer-master-defaults.conf");
  }

  private static String refusal(String hocon) {
    return assertThrows(
            ConfigValidation.Invalid.class, () -> ConfigValidation.checkKeys(load(hocon), FILE))
        .getMessage();
  }

  @Test
  void theShippedDefaultConfigurationIsValid() {
    Path file = Path.of("../conf/overseer.conf").toAbsolutePath().normalize();
    ConfigValidation.checkKeys(
        ClusterConfig.load(ConfigFactory.parseFile(file.toFile()), "overseer-master-defaults.conf"),
        file);
  }

  @Test
  void userNamedMapsAndWorkerKeysAreAccepted() {
    ConfigValidation.checkKeys(
        load(
            """
        overseer.apps.web { instances = 2, env { ANY_NAME = x }, worker-weights { "web-0" = 3 }, restart.backoff.max = 1s }
        overseer.apps.api { mode = command, command = [x] }
        overseer.bff.templates = "t"
        overseer.worker.inline-compute-max-n = 5
        overseer.bff.routes.r {
          path = "/x/{id}", method = POST, schema.body { type = object, anything-goes = 1 }
          upstreams.a { url = "http://h/{path.id}", required = false, retries = 2 }
          settings { whatever = 1 }
        }
        """),
        FILE);
  }

  @Test
  void aMisspeltKeyIsRefusedNamingTheKeyTheFileAndTheLine() {
    assertEquals(
        FILE
            + ":2: overseer.apps.web.instanses: unknown key (not declared in the master's or the"
            + " worker's reference.conf); did you mean 'instances'?",
        refusal(
            """
        overseer.apps.web {
          instanses = 3
        }
        """));
  }

  @Test
  void unknownKeysAreRefusedAtEveryLevel() {
    assertEquals(true, refusal("overseer.colour = red").contains("overseer.colour: unknown key"));
    assertEquals(
        true, refusal("overseer.http.prot = 1").contains("overseer.http.prot: unknown key"));
    assertEquals(
        true, refusal("overseer.apps.web.liveness.timeot = 1s").contains("did you mean 'timeout'"));
    assertEquals(
        true,
        refusal("overseer.bff.routes.r { path = \"/x\", upstream.a.url = \"http://h\" }")
            .contains(
                "overseer.bff.routes.r.upstream: unknown key; did you mean 'upstreams'?"
                    .replace(
                        ": unknown key;",
                        ": unknown key (not declared in the master's or the worker's reference.conf);")));
    assertEquals(
        true,
        refusal(
                "overseer.bff.routes.r { path = \"/x\", upstreams.a { url = \"http://h\", tmeout = 1s } }")
            .contains("overseer.bff.routes.r.upstreams.a.tmeout"));
    assertEquals(true, refusal("overseer.apps = 3").contains("overseer.apps: must be an object"));
  }

  @Test
  void aTakenPortIsOneLineNamingTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String message =
          assertThrows(
                  ConfigValidation.Invalid.class,
                  () ->
                      ConfigValidation.checkPortsFree(
                          FILE,
                          List.<String[]>of(
                              new String[] {
                                "overseer.http.port", "127.0.0.1", String.valueOf(port)
                              })))
              .getMessage();
      assertEquals(
          true,
          message.startsWith(
              FILE + ": overseer.http.port = " + port + ": 127.0.0.1:" + port + " cannot be bound"),
          message);
      assertEquals(false, message.contains("\n"));
    }
  }

  @Test
  void aJobBlockIsCheckedAgainstJobDefaults() {
    ConfigValidation.checkKeys(
        load(
            """
        overseer.jobs.j {
          command = [ls], env { ANY = x }, schema { type = object, whatever = 1 }
          retryable-if-lost = true, route { path = "/j", method = GET }
        }
        """),
        FILE);
    assertEquals(
        "/etc/overseer/test.conf:1: overseer.jobs.j.dedline: unknown key (not declared in the master's or the"
            + " worker's reference.conf); did you mean 'deadline'?",
        refusal("overseer.jobs.j.dedline = 5s"));
    assertEquals(
        "/etc/overseer/test.conf:1: overseer.jobs.j.route.verb: unknown key (not declared in the master's or the"
            + " worker's reference.conf)",
        refusal("overseer.jobs.j.route.verb = GET"));
  }
}
