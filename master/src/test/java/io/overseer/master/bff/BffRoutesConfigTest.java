package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.overseer.master.http.EdgeErrors;
import io.overseer.master.http.JsonResponses;
import io.overseer.protocol.ClusterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge reads a route's error page itself: the worker no longer renders or checks one. */
class BffRoutesConfigTest {
  @TempDir Path conf;

  private List<BffRoute> parse(String routes) {
    return BffRoutesConfig.parse(
        ClusterConfig.load(ConfigFactory.parseString(routes), "overseer-master-defaults.conf")
            .getConfig("overseer"),
        conf,
        Set.of("web"));
  }

  private static EdgeErrors errorsOf(List<BffRoute> routes, String name) {
    return routes.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().errors();
  }

  @Test
  void aPageRouteShowsItsErrorsAsAPageAndAJsonRouteAsJson() {
    List<BffRoute> routes =
        parse(
            """
            overseer.bff.routes.page { path = "/p", template = page.mustache }
            overseer.bff.routes.data { path = "/d" }
            """);
    var error = JsonResponses.error(StatusCodes.BAD_GATEWAY, "upstream failed", Map.of());
    assertEquals(
        MediaTypes.TEXT_HTML,
        errorsOf(routes, "page").relayed(error).entity().getContentType().mediaType());
    assertSame(EdgeErrors.JSON, errorsOf(routes, "data"));
  }

  @Test
  void anErrorTemplateNeedsAPageRouteAndAnExistingFile() throws Exception {
    IllegalArgumentException withoutPage =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                parse(
                    "overseer.bff.routes.data { path = \"/d\", error-template = oops.mustache }"));
    assertTrue(
        withoutPage
            .getMessage()
            .contains("overseer.bff.routes.data.error-template is for a route that renders a page"),
        withoutPage.getMessage());

    String own =
        "overseer.bff.routes.page { path = \"/p\", template = p.mustache,"
            + " error-template = oops.mustache }";
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> parse(own));
    assertTrue(missing.getMessage().contains("oops.mustache"), missing.getMessage());

    Files.createDirectories(conf.resolve("templates"));
    Files.writeString(conf.resolve("templates/oops.mustache"), "<p>{{status}}</p>");
    var error = JsonResponses.error(StatusCodes.NOT_FOUND, "gone", Map.of());
    assertEquals(
        "<p>404</p>",
        ((HttpEntity.Strict) parse(own).get(0).errors().relayed(error).entity())
            .getData()
            .utf8String());
  }
}
