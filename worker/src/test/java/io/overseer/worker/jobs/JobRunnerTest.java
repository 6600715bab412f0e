package io.overseer.worker.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;
import io.overseer.api.jobs.JobException;
import io.overseer.protocol.WorkerProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job pool on its own: results, failures, limits, cancellation and command jobs. */
class JobRunnerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ANSWER = Duration.ofSeconds(10);
  private static final AtomicLong ids = new AtomicLong();
  private static final String TRIGGER = "schedule:nightly@2026-12-01T01:30:00Z";

  /** Released by a test to let {@link Waits} end; never released: it waits for its cancellation. */
  private final CountDownLatch release = new CountDownLatch(1);

  private final TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe();
  private final TestProbe<WorkerProtocol.JobAccepted> accepted = testKit.createTestProbe();
  private JobRunner runner;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void close() {
    release.countDown();
    if (runner != null) {
      runner.close();
    }
  }

  private JobRunner runner(int maxConcurrent, Duration grace) {
    runner =
        new JobRunner(
            new JobSettings(maxConcurrent, 1024, 64, grace),
            JobCatalog.of(new Echo(), new Fails(), new Waits(release), new Deaf(release)),
            "w1",
            4242,
            null); // no job here sends messages: MessagesIT covers the sender on real workers
    return runner;
  }

  private long send(String job, String args, WorkerProtocol.JobCommand command, long timeout) {
    long id = ids.incrementAndGet();
    runner.run(
        new WorkerProtocol.RunJob(
            id, "req-" + id, job, TRIGGER, args, command, timeout, accepted.ref(), replies.ref()));
    return id;
  }

  private WorkerProtocol.JobDone answer() {
    return (WorkerProtocol.JobDone)
        replies.expectMessageClass(WorkerProtocol.JobDone.class, ANSWER);
  }

  @Test
  void aJavaJobsResultComesBackAsJsonWithTheWorkerAndItsRetryability() throws Exception {
    runner(2, Duration.ofSeconds(5));
    long id = send("echo", "{\"who\":\"ada\"}", null, 5_000);
    assertEquals(new WorkerProtocol.JobAccepted(id, "w1", true), accepted.receiveMessage(ANSWER));
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.SUCCEEDED, done.status());
    assertEquals("ada", JSON.readTree(done.resultJson()).get("hello").asText());
    assertEquals(TRIGGER, JSON.readTree(done.resultJson()).get("trigger").asText());
    assertEquals("req-" + id, JSON.readTree(done.resultJson()).get("requestId").asText());
    assertEquals(
        "req-" + id,
        JSON.readTree(done.resultJson()).get("mdc").asText(),
        "the job's own log lines carry the id");
    assertEquals("w1", done.workerId());
    assertTrue(done.startedAtMillis() > 0);
  }

  @Test
  void aJavaJobsLinesFromAThreadOfItsOwnCarryTheRequestId() {
    runner(2, Duration.ofSeconds(5));
    ch.qos.logback.classic.Logger jobLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.overseer.jobs.echo");
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    var appender =
        new ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent>() {
          @Override
          protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
            // The MDC read while the line is written, as an encoder does.
            lines.add(event.getThreadName() + " " + event.getMDCPropertyMap().get("requestId"));
          }
        };
    appender.setContext(jobLog.getLoggerContext());
    appender.start();
    jobLog.addAppender(appender);
    long id;
    try {
      id = send("echo", "{\"who\":\"ada\"}", null, 5_000);
      assertEquals(WorkerProtocol.JobStatus.SUCCEEDED, answer().status());
    } finally {
      jobLog.detachAppender(appender);
    }
    assertEquals(List.of("echo-helper req-" + id), lines);
  }

  @Test
  void aJobExceptionFailsTheRunWithItsMessageAndOthersWithTheirType() {
    runner(2, Duration.ofSeconds(5));
    send("fails", "{\"how\":\"job\"}", null, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.FAILED, done.status());
    assertEquals("no such file: a.csv", done.error());
    send("fails", "{\"how\":\"bug\"}", null, 5_000);
    assertEquals("java.lang.IllegalStateException: oops", answer().error());
  }

  @Test
  void anUnknownJobIsRefusedNamingTheKnownOnes() {
    runner(2, Duration.ofSeconds(5));
    send("nope", "{}", null, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.UNKNOWN_JOB, done.status());
    assertTrue(done.error().contains("no job named 'nope'"), done.error());
    assertTrue(done.error().contains("echo"), done.error());
    accepted.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aResultOverTheLimitFailsTheRunNamingTheKey() {
    runner(2, Duration.ofSeconds(5));
    send("echo", "{\"who\":\"" + "x".repeat(2000) + "\"}", null, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.FAILED, done.status());
    assertTrue(done.error().contains("overseer.worker.jobs.max-result-size"), done.error());
  }

  @Test
  void aFullPoolRefusesTheNextRunAtOnceAsBusy() {
    runner(1, Duration.ofSeconds(5));
    send("waits", "{}", null, 30_000);
    send("echo", "{}", null, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.BUSY, done.status());
    assertTrue(done.error().startsWith("busy"), done.error());
    assertEquals(1, runner.running());
  }

  @Test
  void theDeadlineCancelsARunThatChecksItsToken() {
    runner(2, Duration.ofSeconds(5));
    send("waits", "{}", null, 300);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.CANCELLED, done.status());
    assertEquals("cancelled: deadline", done.error());
    assertEquals(0, runner.running());
  }

  @Test
  void aCancelFromTheMasterEndsTheRunAndFreesItsPlace() {
    runner(1, Duration.ofSeconds(5));
    long id = send("waits", "{}", null, 30_000);
    accepted.receiveMessage(ANSWER);
    runner.cancel(id);
    assertEquals("cancelled: cancelled by the master", answer().error());
    send("echo", "{}", null, 5_000);
    assertEquals(WorkerProtocol.JobStatus.SUCCEEDED, answer().status());
  }

  @Test
  void aRunThatIgnoresItsCancellationPastTheGraceIsCountedStuckUntilItEnds() {
    runner(1, Duration.ofMillis(200));
    send("deaf", "{}", null, 100);
    await().atMost(ANSWER).until(() -> runner.stuck() == 1);
    release.countDown();
    assertEquals(WorkerProtocol.JobStatus.CANCELLED, answer().status());
    await().atMost(ANSWER).until(() -> runner.stuck() == 0);
  }

  @Test
  void aCommandJobReportsItsExitCodeAndCapturedOutputWithoutAShell(@TempDir Path dir)
      throws Exception {
    runner(2, Duration.ofSeconds(5));
    Files.writeString(dir.resolve("in.txt"), "from the file");
    var command =
        new WorkerProtocol.JobCommand(
            List.of(
                "sh",
                "-c",
                "cat in.txt; echo \" $GREETING $OVERSEER_JOB_TRIGGER\"; echo oops >&2; exit 3",
                "$(x)"),
            dir.toString(),
            Map.of("GREETING", "hi"));
    send("cmd", "{}", command, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.FAILED, done.status());
    assertEquals("exit code 3", done.error());
    JsonNode result = JSON.readTree(done.resultJson());
    assertEquals(3, result.get("exitCode").asInt());
    assertEquals("from the file hi " + TRIGGER + "\n", result.get("stdout").asText());
    assertEquals("oops\n", result.get("stderr").asText());
    assertEquals(false, result.get("truncated").asBoolean());
  }

  @Test
  void aCommandsOutputIsCutAtTheLimitAndItsArgumentsReachItAsTheyAre() throws Exception {
    runner(2, Duration.ofSeconds(5));
    // One argument with spaces and a $: passed as it is, as no shell ever parsed the array.
    var command =
        new WorkerProtocol.JobCommand(
            List.of("echo", "a  b $HOME " + "y".repeat(100)), "", Map.of());
    send("cmd", "{}", command, 5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.SUCCEEDED, done.status());
    JsonNode result = JSON.readTree(done.resultJson());
    assertEquals(("a  b $HOME " + "y".repeat(100)).substring(0, 64), result.get("stdout").asText());
    assertTrue(result.get("truncated").asBoolean());
  }

  @Test
  void aCommandPastItsDeadlineIsKilledWithItsChildren() throws Exception {
    runner(2, Duration.ofSeconds(5));
    var command =
        new WorkerProtocol.JobCommand(
            List.of("sh", "-c", "sleep 60 & echo $!; wait"), "", Map.of());
    // Long enough for the shell to start and print its child's pid on a loaded machine.
    send("cmd", "{}", command, 2_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.CANCELLED, done.status());
    assertEquals("cancelled: deadline; process killed", done.error());
    JsonNode result = JSON.readTree(done.resultJson());
    long shell = result.get("pid").asLong();
    long sleeper = Long.parseLong(result.get("stdout").asText().trim());
    await()
        .atMost(ANSWER)
        .until(
            () ->
                ProcessHandle.of(shell).map(p -> !p.isAlive()).orElse(true)
                    && ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aCommandThatCannotStartFailsNamingTheProgram() {
    runner(2, Duration.ofSeconds(5));
    send(
        "cmd",
        "{}",
        new WorkerProtocol.JobCommand(List.of("/no/such/program"), "", Map.of()),
        5_000);
    WorkerProtocol.JobDone done = answer();
    assertEquals(WorkerProtocol.JobStatus.FAILED, done.status());
    assertTrue(done.error().startsWith("cannot start /no/such/program"), done.error());
  }

  private static final class Echo implements Job {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public JsonNode run(JobContext context) {
      // A thread of the job's own, without the pool thread's MDC: the context's logger still
      // writes the request id.
      java.util.concurrent.CompletableFuture.runAsync(
              () -> context.logger().info("echo from a thread of its own"),
              runnable -> new Thread(runnable, "echo-helper").start())
          .join();
      return JsonNodeFactory.instance
          .objectNode()
          .put("hello", context.args().path("who").asText())
          .put("trigger", context.trigger())
          .put("requestId", context.requestId())
          .put("mdc", org.slf4j.MDC.get("requestId"));
    }

    @Override
    public boolean retryable() {
      return true;
    }
  }

  private static final class Fails implements Job {
    @Override
    public String name() {
      return "fails";
    }

    @Override
    public JsonNode run(JobContext context) {
      if (context.args().path("how").asText().equals("job")) {
        throw new JobException("no such file: a.csv");
      }
      throw new IllegalStateException("oops");
    }
  }

  /** Waits for its release, checking its token every few milliseconds. */
  private record Waits(CountDownLatch release) implements Job {
    @Override
    public String name() {
      return "waits";
    }

    @Override
    public JsonNode run(JobContext context) throws InterruptedException {
      while (!release.await(5, TimeUnit.MILLISECONDS)) {
        context.checkCancelled();
      }
      return JsonNodeFactory.instance.nullNode();
    }
  }

  /** Ignores its cancellation and interrupts alike until released. */
  private record Deaf(CountDownLatch release) implements Job {
    @Override
    public String name() {
      return "deaf";
    }

    @Override
    public JsonNode run(JobContext context) {
      while (true) {
        try {
          if (release.await(5, TimeUnit.MILLISECONDS)) {
            return JsonNodeFactory.instance.nullNode();
          }
        } catch (InterruptedException e) {
          // deaf on purpose
        }
      }
    }
  }
}
