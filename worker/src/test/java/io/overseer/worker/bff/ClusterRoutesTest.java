package io.overseer.worker.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.overseer.api.bff.BffResponse;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes sent by the master: compiled from a directory of the worker's own, never outside it. */
class ClusterRoutesTest {

  @Test
  void theMastersRoutesWithTheirFilesBecomeAWorkingEngine() throws Exception {
    WorkerProtocol.UseBffRoutes routes =
        new WorkerProtocol.UseBffRoutes(
            """
            templates = "templates"
            routes.page { path = "/p/{id}", transform = "{\\"id\\": .path.id}", template = "p.mustache" }
            """,
            Map.of(
                "templates/p.mustache", "<p>{{id}}</p>{{> parts/footer}}",
                "templates/parts/footer.mustache", "<footer>f</footer>"));
    try (BffEngine engine = ClusterRoutes.engine(routes, ConfigFactory.load())) {
      BffResponse page = Bff.call(engine, Bff.request("page", Map.of("id", "3")));
      assertEquals(200, page.status(), page.body());
      assertEquals("<p>3</p><footer>f</footer>", page.body());
    }
  }

  @Test
  void noRoutesIsNoEngine() throws Exception {
    assertNull(
        ClusterRoutes.engine(new WorkerProtocol.UseBffRoutes("", Map.of()), ConfigFactory.load()));
  }

  @Test
  void aFileNamedOutsideTheDirectoryIsRefusedAndNotWritten() {
    Path escaped = Path.of(System.getProperty("java.io.tmpdir"), "overseer-escaped.jslt");
    for (String name : new String[] {"../overseer-escaped.jslt", escaped.toString()}) {
      WorkerProtocol.UseBffRoutes routes =
          new WorkerProtocol.UseBffRoutes("routes {}", Map.of(name, "."));
      assertThrows(
          IllegalArgumentException.class,
          () -> ClusterRoutes.engine(routes, ConfigFactory.load()),
          name);
    }
    assertFalse(Files.exists(escaped), "nothing was written outside: " + escaped);
  }
}
