package io.overseer.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  private static ClusterSettings read(String hocon) {
    Config config =
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    return ClusterSettings.create(config.getConfig("overseer"), Path.of("/etc/overseer"));
  }

  @Test
  void loopbackWithoutTlsIsTheDefaultAndAllowed() {
    ClusterSettings cluster = read("");
    assertFalse(cluster.exposedWithoutTls());
    assertEquals(
        List.of("--join", "127.0.0.1:25520", "--host", "127.0.0.1"), cluster.workerArguments());
    Config pekko = cluster.pekko();
    assertEquals("127.0.0.1", pekko.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals("", pekko.getString("pekko.remote.artery.bind.hostname"));
    assertFalse(pekko.hasPath("pekko.remote.artery.transport"), "plain tcp, the shared default");
  }

  @Test
  void anyOtherAddressWithoutTlsIsRefusedNamingTheKeys() {
    for (String hocon :
        List.of(
            "overseer.cluster.bind-host = \"0.0.0.0\"",
            "overseer.cluster.host = \"0.0.0.0\"",
            "overseer.cluster.host = \"192.0.2.1\"")) {
      var refused = assertThrows(IllegalArgumentException.class, () -> read(hocon));
      assertTrue(refused.getMessage().contains("overseer.cluster.insecure = on"), hocon);
      assertTrue(refused.getMessage().contains(hocon.split(" = ")[0]), refused.getMessage());
    }
  }

  @Test
  void insecureAllowsItAndBindAndAdvertisedAddressesGoToPekkoApart() {
    ClusterSettings cluster =
        read(
            """
            overseer.cluster { host = "192.0.2.1", port = 25520, bind-host = "0.0.0.0",
                               bind-port = "25600", insecure = on }
            """);
    assertTrue(cluster.exposedWithoutTls());
    assertEquals("0.0.0.0", cluster.boundHost());
    assertEquals(25600, cluster.boundPort());
    Config pekko = cluster.pekko();
    assertEquals("192.0.2.1", pekko.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(25520, pekko.getInt("pekko.remote.artery.canonical.port"));
    assertEquals("0.0.0.0", pekko.getString("pekko.remote.artery.bind.hostname"));
    assertEquals("25600", pekko.getString("pekko.remote.artery.bind.port"));
    // A spawned worker advertises the master's cluster host, not 127.0.0.1, and binds where the
    // master binds.
    assertEquals(
        List.of("--join", "192.0.2.1:25520", "--host", "192.0.2.1", "--bind-host", "0.0.0.0"),
        cluster.workerArguments());
    assertEquals(
        List.of("pekko://overseer@192.0.2.1:25520"),
        pekko.getStringList("pekko.cluster.seed-nodes"));
  }

  @Test
  void aBindPortThatIsNotAPortIsRefused() {
    var refused =
        assertThrows(
            IllegalArgumentException.class, () -> read("overseer.cluster.bind-port = \"99999\""));
    assertTrue(refused.getMessage().contains("overseer.cluster.bind-port"), refused.getMessage());
  }

  @Test
  void tlsOnWithoutFilesIsRefusedNamingTheKeys() {
    var refused =
        assertThrows(RuntimeException.class, () -> read("overseer.cluster.tls.mode = on"));
    assertTrue(refused.getMessage().contains("overseer.cluster.tls.dir"), refused.getMessage());
  }
}
