package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partition tests' ground: hosts made of network namespaces reach each other, a cut link drops
 * a host's traffic, a healed one carries it again, and nothing is left behind. A real server (the
 * demo backend) runs inside a host.
 */
class NamespaceHostsIT {
  private static NamespaceHosts net;
  private static Path directory;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @BeforeAll
  static void hosts() throws Exception {
    var unavailable = NamespaceHosts.unavailableReason();
    unavailable.ifPresent(reason -> System.out.println("NamespaceHostsIT skipped: " + reason));
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> unavailable.orElse(""));
    directory = Files.createTempDirectory("overseer-netns-");
    net = NamespaceHosts.create(2);
  }

  @AfterAll
  static void cleanUp() {
    if (net != null) {
      net.close();
      String left = namespaces();
      assertFalse(left.contains(net.host(1).namespace()), left);
      assertFalse(left.contains(net.host(2).namespace()), left);
    }
  }

  @Test
  void aCutHostIsUnreachableUntilHealed() throws Exception {
    var host = net.host(2);
    Process backend =
        net.start(
            host,
            List.of(
                RunningMaster.JAVA,
                "-jar",
                RunningMaster.EXAMPLES_JAR.toString(),
                "--host",
                host.address(),
                "--port",
                "8000"),
            directory.resolve("backend.log"),
            Map.of());
    URI product = URI.create("http://" + host.address() + ":8000/products/1");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(product) == 200);

    net.cut(host);
    assertThrows(HttpTimeoutException.class, () -> status(product));
    assertTrue(backend.isAlive(), "the backend runs on while its host is cut off");

    net.heal(host);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> status(product) == 200);
  }

  private static int status(URI uri) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String namespaces() {
    try {
      return NamespaceHosts.run("ip", "netns", "list");
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
