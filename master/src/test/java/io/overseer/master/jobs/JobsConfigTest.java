package io.overseer.master.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.protocol.ClusterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code overseer.jobs} as the master reads it, and what it refuses at start. */
class JobsConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JobDefinition> parse(String hocon) {
    Config loaded =
        ClusterConfig.load(ConfigFactory.parseString(hocon), "overseer-master-defaults.conf");
    return JobsConfig.parse(loaded.getConfig("overseer"), "web", Set.of("web", "batch"));
  }

  private static String refusal(String hocon) {
    return assertThrows(IllegalArgumentException.class, () -> parse(hocon)).getMessage();
  }

  @Test
  void theShippedConfigurationDeclaresAJavaJobWithARouteAndACommandJob() {
    Path file = Path.of("../conf/overseer.conf").toAbsolutePath().normalize();
    Config loaded =
        ClusterConfig.load(ConfigFactory.parseFile(file.toFile()), "overseer-master-defaults.conf")
            .resolve();
    List<JobDefinition> jobs = JobsConfig.parse(loaded.getConfig("overseer"), "web", Set.of("web"));
    JobDefinition primes =
        jobs.stream().filter(j -> j.name().equals("count-primes")).findFirst().orElseThrow();
    assertEquals(Optional.of(new JobDefinition.Route("/jobs/primes", "POST")), primes.route());
    assertTrue(jobs.stream().anyMatch(JobDefinition::isCommand));
  }

  @Test
  void defaultsFillABareBlock() throws Exception {
    JobDefinition job = parse("overseer.jobs.nightly {}").get(0);
    assertEquals("web", job.app());
    assertEquals("nightly", job.implementation());
    assertEquals(Duration.ofSeconds(30), job.deadline());
    assertEquals(Optional.empty(), job.retryableIfLost());
    assertEquals(1, job.lostRetries());
    assertEquals(Optional.empty(), job.route());
    // Without a schema the arguments must still be an object.
    assertEquals(List.of(), job.check(JSON.readTree("{\"any\": 1}")));
    assertEquals(1, job.check(JSON.readTree("[1]")).size());
  }

  @Test
  void aCommandJobKeepsItsArgumentArrayDirectoryAndEnvironment() {
    JobDefinition job =
        parse(
                """
            overseer.jobs.backup {
              app = batch, command = ["tar", "czf", "a b.tgz", "$HOME"], cwd = "/srv"
              env { TZ = UTC }, retryable-if-lost = true, lost-retries = 0
            }
            """)
            .get(0);
    assertEquals(List.of("tar", "czf", "a b.tgz", "$HOME"), job.command().argv());
    assertEquals("/srv", job.command().cwd());
    assertEquals("UTC", job.command().env().get("TZ"));
    assertEquals("batch", job.app());
    assertEquals(Optional.of(true), job.retryableIfLost());
    assertEquals(0, job.lostRetries());
  }

  @Test
  void aSchemaChecksTheArgumentsNamingEachField() throws Exception {
    JobDefinition job =
        parse(
                "overseer.jobs.p.schema { type = object, properties.n { type = integer },"
                    + " required = [n] }")
            .get(0);
    assertEquals("/n", job.check(JSON.readTree("{\"n\":\"x\"}")).get(0).field());
    assertEquals("/n", job.check(JSON.readTree("{}")).get(0).field());
  }

  @Test
  void mistakesAreRefusedAtStartNamingTheKey() {
    assertEquals(
        "overseer.jobs.j.app = 'nope' must name a worker app, one of [batch, web]",
        refusal("overseer.jobs.j.app = nope").replace("[web, batch]", "[batch, web]"));
    assertTrue(
        refusal("overseer.jobs.j.command = [\"ls\", \"\"]").startsWith("overseer.jobs.j.command"));
    assertTrue(refusal("overseer.jobs.j.cwd = /tmp").contains("for a command job"));
    assertTrue(refusal("overseer.jobs.j.deadline = 0s").contains("must be positive"));
    assertTrue(refusal("overseer.jobs.j.route.path = \"jobs\"").contains("exact absolute path"));
    assertTrue(refusal("overseer.jobs.j.route.path = \"/_admin/x\"").contains("edge's own"));
    assertTrue(
        refusal("overseer.jobs.j.route { path = \"/x\", method = DELETE }").contains("one of"));
    assertTrue(
        refusal("overseer.jobs { a.route.path = \"/x\", b.route.path = \"/x\" }")
            .contains("route already"));
    assertTrue(refusal("overseer.jobs.j.schema { type = 5 }").contains("schema"));
  }
}
