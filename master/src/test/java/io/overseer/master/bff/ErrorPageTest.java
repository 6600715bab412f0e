package io.overseer.master.bff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.overseer.master.http.JsonResponses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorPageTest {
  @TempDir Path templates;

  private static String body(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().decodeString(StandardCharsets.UTF_8);
  }

  private static HttpResponse invalid() {
    return JsonResponses.error(
        StatusCodes.BAD_REQUEST,
        "invalid request",
        Map.of(
            "route",
            "page",
            "errors",
            List.of(new FieldError("path", "/id", "'<b>x</b>' is not an integer"))));
  }

  @Test
  void theBuiltInPageShowsEveryFieldErrorEscapedWithTheSameStatus() {
    HttpResponse page = ErrorPage.load(templates, null).present(invalid());
    assertEquals(400, page.status().intValue());
    assertEquals(MediaTypes.TEXT_HTML, page.entity().getContentType().mediaType());
    String html = body(page);
    assertTrue(html.contains("<h1>400 invalid request</h1>"), html);
    assertTrue(
        html.contains("<code>path/id</code>: &#39;&lt;b&gt;x&lt;/b&gt;&#39; is not an integer"),
        html);
    assertFalse(html.contains("<b>x"), "request text is never live markup");
  }

  @Test
  void aRoutesOwnErrorTemplateReplacesItAndAMissingOneIsRefusedAtStart() throws Exception {
    Files.writeString(
        templates.resolve("oops.mustache"), "<p>{{status}}: {{#errors}}{{field}}{{/errors}}</p>");
    assertEquals(
        "<p>400: /id</p>", body(ErrorPage.load(templates, "oops.mustache").present(invalid())));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class, () -> ErrorPage.load(templates, "nope.mustache"));
    assertTrue(missing.getMessage().contains("nope.mustache"), missing.getMessage());
  }
}
