package io.overseer.master.e2e;

import static io.overseer.master.e2e.HandStartedWorkerIT.signal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.overseer.master.cli.CliRun;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages between processes across real worker JVMs, with the walkthrough's listeners from {@code
 * overseer-examples-app.jar} on the web app's class-path: {@code CacheListener} logs each message
 * on the topic {@code cache}, {@code AnnounceListener} each message sent or broadcast to its
 * process. What a worker received is read from its own log file, in the order it logged it; every
 * test's messages carry a token of their own. "Exactly once" is checked behind a fence: a last
 * message from the same publisher, which arrives after any copy of the earlier ones would have. The
 * master is shared; each test starts from {@link #threeSubscribedWorkers()} (scaled back to three,
 * every one reached by the topic), so the tests pass alone and in any order.
 */
@Timeout(300)
class MessagesIT {
  private static final Path APP_JAR =
      RunningMaster.EXAMPLES_JAR.resolveSibling("overseer-examples-app.jar");
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Duration DELIVERY = Duration.ofSeconds(20);

  private static RunningMaster master;

  @BeforeAll
  static void startMaster() throws IOException {
    master =
        RunningMaster.start(
            """
            overseer.apps.web {
              instances = 3
              class-path = "%s:%s"
            }
            overseer.bff.routes {
              announce { method = POST, path = "/api/announce", handler = "announce" }
              drop-cache { method = POST, path = "/api/cache/drop", handler = "drop-cache" }
            }
            """
                .formatted(RunningMaster.WORKER_JAR, APP_JAR),
            3);
  }

  @AfterAll
  static void stopMaster() {
    if (master != null) {
      master.close();
    }
  }

  /** method, path, body, status, what the answer must say. BIG: above max-message-size (32 KiB). */
  private static final String[][] BAD_INPUT = {
    {"POST", "/_admin/topics/bad%20name", "{}", "400", "bad topic name"},
    {"POST", "/_admin/topics/app:web", "{}", "400", "letters, digits"},
    {"POST", "/_admin/topics/" + "x".repeat(101), "{}", "400", "max-topic-name-length"},
    {"GET", "/_admin/topics/-x", null, "400", "bad topic name"},
    {"POST", "/_admin/topics/cache", "{\"run\":\"TOKEN\",", "400", "JSON message"},
    {"POST", "/_admin/topics/cache", "", "400", "the body is empty"},
    {"POST", "/_admin/topics/cache", "{\"run\":\"TOKEN\",\"run\":1}", "400", "Duplicate field"},
    {"POST", "/_admin/topics/cache", "{\"run\":\"TOKEN\"} trailing", "400", "JSON message"},
    {"POST", "/_admin/topics/cache", "BIG", "413", "overseer.messaging.max-message-size"},
    {"POST", "/_admin/workers/web-99/message", "{\"run\":\"TOKEN\"}", "404", "no process"},
    {"PUT", "/_admin/topics/cache", "{}", "405", "method not allowed"},
  };

  @Test
  void badInputIsRefusedNamingTheProblemAndSendsNothing() throws Exception {
    threeSubscribedWorkers();
    String run = token();
    StringBuilder table = new StringBuilder("| input | expected | got |\n|---|---|---|\n");
    List<String> wrong = new ArrayList<>();
    for (String[] bad : BAD_INPUT) {
      String body =
          bad[2] == null
              ? null
              : bad[2].equals("BIG")
                  ? "{\"run\":\"" + run + "\",\"pad\":\"" + "x".repeat(33 * 1024) + "\"}"
                  : bad[2].replace("TOKEN", run);
      HttpResponse<String> answer = master.admin(bad[0], bad[1], body);
      String input = bad[0] + " " + shortened(bad[1]) + " " + shortened(String.valueOf(bad[2]));
      String got = answer.statusCode() + " " + shortened(answer.body());
      table.append("| `%s` | %s %s | %s |\n".formatted(input, bad[3], bad[4], got));
      if (answer.statusCode() != Integer.parseInt(bad[3]) || !answer.body().contains(bad[4])) {
        wrong.add(input + " -> " + answer.statusCode() + " " + answer.body());
      }
    }
    HttpResponse<String> noToken =
        master.send(
            master
                .request("/_admin/topics/cache")
                .POST(HttpRequest.BodyPublishers.ofString("{\"run\":\"" + run + "\"}")));
    table.append(
        "| `POST /_admin/topics/cache` without the token | 401 | %d |\n"
            .formatted(noToken.statusCode()));
    System.out.println(table);
    assertEquals(List.of(), wrong, table.toString());
    assertEquals(401, noToken.statusCode(), noToken.body());
    // Nothing of the refused requests reached a worker: behind a fence from the same publisher.
    publish("cache", fence(run));
    for (String worker : onlineIds()) {
      awaitFence(worker, run);
      assertEquals(1, lines(worker, run).size(), worker + " got the fence alone");
    }
  }

  @Test
  void aTopicPublishedByTheAdminApiReachesEveryWorkerExactlyOnce() throws Exception {
    threeSubscribedWorkers();
    String run = token();
    HttpResponse<String> published = publish("cache", "{\"run\":\"" + run + "\",\"seq\":0}");
    assertEquals(200, published.statusCode(), published.body());
    assertEquals(3, RunningMaster.json(published).get("subscribers").asInt(), published.body());
    publish("cache", fence(run));
    for (String worker : onlineIds()) {
      awaitFence(worker, run);
      assertEquals(List.of(0), sequence(worker, run), worker + " got it once");
    }
  }

  @Test
  void aBroadcastBurstFromAHandlerReachesEveryWorkerOnceInTheOrderItWasSent() throws Exception {
    threeSubscribedWorkers();
    awaitBroadcastsReachEveryWorker();
    String run = token();
    int n = 200;
    String burst =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(i -> "{\"run\":\"" + run + "\",\"seq\":" + i + "}")
            .collect(Collectors.joining(",", "[", "," + fence(run) + "]"));
    HttpResponse<String> sent =
        master.send(
            master
                .request("/api/announce")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(burst)));
    assertEquals(202, sent.statusCode(), sent.body());
    List<Integer> expected = java.util.stream.IntStream.range(0, n).boxed().toList();
    for (String worker : onlineIds()) {
      awaitFence(worker, run);
      assertEquals(expected, sequence(worker, run), worker + ": each once, in order");
    }
  }

  @Test
  void aWorkerThatJoinsLaterReceivesWhatIsPublishedOnceItsSubscriptionIsKnown() throws Exception {
    threeSubscribedWorkers();
    List<String> before = onlineIds();
    HttpResponse<String> scaled =
        master.admin("POST", "/_admin/apps/web/scale", "{\"instances\":4}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    master.awaitReadyWorkers(4);
    String newcomer =
        onlineIds().stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    // Its listener subscribed at start; publishers learn of it through the receptionist's gossip.
    awaitSubscribers("cache", 4);
    String run = token();
    HttpResponse<String> published = publish("cache", "{\"run\":\"" + run + "\",\"seq\":0}");
    assertEquals(4, RunningMaster.json(published).get("subscribers").asInt(), published.body());
    publish("cache", fence(run));
    awaitFence(newcomer, run);
    assertEquals(List.of(0), sequence(newcomer, run), newcomer + " got it once");
  }

  @Test
  void aStoppedAndAKilledSubscriberBlockNeitherThePublisherNorTheOthers() throws Exception {
    threeSubscribedWorkers();
    List<JsonNode> workers = master.onlineWorkers();
    assertTrue(workers.size() >= 3, "three workers or more: " + workers);
    long stopped = workers.get(0).get("pid").asLong();
    long killed = workers.get(1).get("pid").asLong();
    List<String> others =
        workers.subList(2, workers.size()).stream().map(w -> w.get("id").asText()).toList();
    signal("STOP", stopped);
    try {
      signal("KILL", killed);
      String run = token();
      int n = 50;
      long slowest = 0;
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        HttpResponse<String> published =
            publish("cache", "{\"run\":\"" + run + "\",\"seq\":" + i + "}");
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        assertEquals(200, published.statusCode(), published.body());
      }
      publish("cache", fence(run));
      assertTrue(slowest < 2_000, "no publish waited for the dead subscribers: " + slowest + " ms");
      List<Integer> expected = java.util.stream.IntStream.range(0, n).boxed().toList();
      for (String worker : others) {
        awaitFence(worker, run);
        assertEquals(expected, sequence(worker, run), worker + ": all, once, in order");
      }
    } finally {
      signal("CONT", stopped);
    }
  }

  @Test
  void theCliPublishesAndSendsAndRefusesWhatItCannot() throws Exception {
    threeSubscribedWorkers();
    String run = token();
    Map<String, String> env = Map.of("OVERSEER_HOME", master.home.toString());
    CliRun published = CliRun.run(env, "publish", "cache", "{\"run\":\"" + run + "\",\"seq\":0}");
    assertEquals(0, published.exitCode(), published.toString());
    assertEquals("published on cache to 3 subscribing processes\n", published.out());
    String worker = onlineIds().get(0);
    CliRun sent = CliRun.run(env, "send", worker, "{\"run\":\"" + run + "\",\"seq\":1}");
    assertEquals(0, sent.exitCode(), sent.toString());
    assertEquals("sent to " + worker + "\n", sent.out());

    CliRun badTopic = CliRun.run(env, "publish", "no such topic", "{}");
    assertEquals(1, badTopic.exitCode(), badTopic.toString());
    assertTrue(badTopic.err().contains("bad topic name"), badTopic.err());
    CliRun notJson = CliRun.run(env, "publish", "cache", "{nope");
    assertEquals(2, notJson.exitCode(), notJson.toString());
    assertTrue(notJson.err().contains("JSON is not JSON"), notJson.err());
    CliRun nobody = CliRun.run(env, "send", "web-99", "{}");
    assertEquals(1, nobody.exitCode(), nobody.toString());
    assertTrue(nobody.err().contains("no process of this id listens"), nobody.err());

    publish("cache", fence(run));
    awaitFence(worker, run);
    assertEquals(List.of(0, 1), sequence(worker, run), "the topic's message, then the direct one");
    assertTrue(
        lines(worker, run).stream().anyMatch(l -> l.contains("DIRECT message from master")),
        "the AnnounceListener logged the direct message");
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * Three online workers (scaled back if a test scaled out), each a known subscriber of {@code
   * cache} and reached by a probe published on it: a killed worker's replacement has subscribed, a
   * stopped one runs again.
   */
  private static void threeSubscribedWorkers() throws Exception {
    HttpResponse<String> scaled =
        master.admin("POST", "/_admin/apps/web/scale", "{\"instances\":3}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    master.awaitReadyWorkers(3);
    awaitProbesReachEveryWorker("a message on cache", probe -> publish("cache", fence(probe)));
    // After the probes, not before: a worker is routable before its node is Up (and subscribed),
    // while a killed one's subscription lingers until its node is removed, so the count can pass
    // through 3 (two live and a dead one) before it settles on the three live ones.
    awaitSubscribers("cache", 3);
  }

  private static String shortened(String text) {
    return text.length() <= 50 ? text : text.substring(0, 50) + "…";
  }

  private static String token() {
    return UUID.randomUUID().toString();
  }

  private static String fence(String run) {
    return "{\"run\":\"" + run + "\",\"fence\":true}";
  }

  private static HttpResponse<String> publish(String topic, String json) throws Exception {
    return master.admin("POST", "/_admin/topics/" + topic, json);
  }

  private static void awaitSubscribers(String topic, int nodes) {
    await(nodes + " subscribers of " + topic + " known to the master")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                RunningMaster.json(master.admin("GET", "/_admin/topics/" + topic, null))
                        .path("subscribers")
                        .asInt()
                    == nodes);
  }

  /**
   * Broadcasts go from a worker, whose view of the app's subscribers grows by gossip as the
   * master's does: probe (each probe with a token of its own) until one reached every worker.
   */
  private static void awaitBroadcastsReachEveryWorker() {
    awaitProbesReachEveryWorker(
        "a broadcast",
        probe ->
            master.send(
                master
                    .request("/api/announce")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(fence(probe)))));
  }

  /** Sends a probe (a fence with a token of its own) until one reached every online worker. */
  private static void awaitProbesReachEveryWorker(String what, ProbeSender send) {
    await(what + " reaches every worker")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String probe = token();
              send.send(probe);
              try {
                for (String worker : onlineIds()) {
                  await().atMost(Duration.ofSeconds(3)).until(() -> fenced(worker, probe));
                }
                return true;
              } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                return false;
              }
            });
  }

  @FunctionalInterface
  private interface ProbeSender {
    void send(String probe) throws Exception;
  }

  private static List<String> onlineIds() {
    return master.onlineWorkers().stream().map(w -> w.get("id").asText()).sorted().toList();
  }

  private static void awaitFence(String worker, String run) {
    await(worker + " received the fence of " + run)
        .atMost(DELIVERY)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fenced(worker, run));
  }

  private static boolean fenced(String worker, String run) throws IOException {
    return lines(worker, run).stream().anyMatch(line -> line.contains("\"fence\":true"));
  }

  /** The seq of each message of this run the worker logged, in the order it logged them. */
  private static List<Integer> sequence(String worker, String run) throws IOException {
    List<Integer> seen = new ArrayList<>();
    for (String line : lines(worker, run)) {
      Matcher seq = SEQ.matcher(line);
      if (seq.find()) {
        seen.add(Integer.parseInt(seq.group(1)));
      }
    }
    return seen;
  }

  private static List<String> lines(String worker, String run) throws IOException {
    Path log = master.home.resolve("logs").resolve(worker + "-out.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.contains(run))
        // What the examples' two listeners logged; another listener of the app may log it too.
        .filter(line -> line.contains("AnnounceListener") || line.contains("CacheListener"))
        .toList();
  }
}
