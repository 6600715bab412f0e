package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BFF routes as the master sends them to workers started without --config. */
class WorkerRoutesTest {
  @TempDir Path conf;
  @TempDir Path elsewhere;

  private Config overseer(String bff) {
    return ConfigFactory.parseString("overseer.bff {\n" + bff + "\n}")
        .withFallback(ConfigFactory.defaultReference())
        .resolve()
        .getConfig("overseer");
  }

  @Test
  void filesAreRenamedUnderOneDirectoryAndTheConfigPointsThere() throws Exception {
    Files.createDirectories(conf.resolve("pages/parts"));
    Files.writeString(conf.resolve("pages/p.mustache"), "<p>{{id}}</p>");
    Files.writeString(conf.resolve("pages/parts/footer.mustache"), "<footer/>");
    Files.writeString(conf.resolve("a.jslt"), "{\"a\": 1}");
    Files.writeString(elsewhere.resolve("b.jslt"), "{\"b\": 2}");
    WorkerProtocol.UseBffRoutes routes =
        WorkerRoutes.of(
            overseer(
                """
                templates = "pages"
                routes {
                  a { path = "/a", transform-file = "a.jslt" }
                  b { path = "/b", transform-file = "%s" }
                  c { path = "/c", transform = "{}" }
                }
                """
                    .formatted(elsewhere.resolve("b.jslt"))),
            conf);
    assertEquals(
        Set.of(
            "templates/p.mustache",
            "templates/parts/footer.mustache",
            "transforms/0.jslt",
            "transforms/1.jslt"),
        routes.files().keySet());
    Config sent = ConfigFactory.parseString(routes.hocon());
    assertEquals("templates", sent.getString("templates"));
    assertEquals(
        Set.of("{\"a\": 1}", "{\"b\": 2}"),
        Set.of(
            routes.files().get(sent.getString("routes.a.transform-file")),
            routes.files().get(sent.getString("routes.b.transform-file"))));
    assertFalse(sent.hasPath("edge"), "the edge's limits stay at the edge");
    assertFalse(routes.hocon().contains(conf.toString()), "no path of the master's machine");
  }

  @Test
  void routesLargerThanTheLimitAreNotSentAndTheReasonNamesTheKey() throws Exception {
    Files.writeString(conf.resolve("big.jslt"), "{\"x\": \"" + "x".repeat(4096) + "\"}");
    WorkerRoutes.Prepared prepared =
        WorkerRoutes.prepare(
            overseer("routes.big { path = \"/big\", transform-file = \"big.jslt\" }"), conf, 1024);
    assertNull(prepared.routes());
    assertTrue(
        prepared.refusal().contains("overseer.joined-workers.max-bff-routes-size"),
        prepared.refusal());
  }

  @Test
  void aTransformFileThatCannotBeReadIsNamedWithItsKey() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WorkerRoutes.of(
                    overseer("routes.a { path = \"/a\", transform-file = \"missing.jslt\" }"),
                    conf));
    assertTrue(
        refused.getMessage().startsWith("overseer.bff.routes.a.transform-file: cannot read "),
        refused.getMessage());
  }
}
