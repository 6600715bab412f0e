package io.overseer.worker.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.overseer.api.jobs.Job;
import io.overseer.api.jobs.JobContext;
import io.overseer.api.jobs.JobException;
import io.overseer.api.messaging.Messages;
import io.overseer.protocol.WorkerProtocol;
import io.overseer.protocol.logging.RequestLog;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on the worker's job pool, never on the actor's thread: {@link #run} only admits the run
 * (or refuses it, "busy", when {@code max-concurrent} runs are going on) and returns; the pool
 * thread answers the requester itself. A run is cancelled by a {@link WorkerProtocol.Cancel} or
 * when its deadline passes on this worker's clock (in case the master's Cancel is lost). A run
 * still going {@code cancel-grace} after its cancellation is <em>stuck</em>: {@link #stuck()}
 * counts it, the worker's pong reports it, and the master drains and replaces the worker, the only
 * way to end a thread that does not listen. Thread-safe.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobSettings settings;
  private final JobCatalog catalog;
  private final String workerId;
  private final long pid;
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final Semaphore permits;
  private final Map<Long, JobRun> runs = new ConcurrentHashMap<>();
  private final AtomicInteger stuck = new AtomicInteger();
  private final Messages messages;

  /**
   * @param messages what jobs send messages with ({@link JobContext#messages()})
   */
  public JobRunner(
      JobSettings settings, JobCatalog catalog, String workerId, long pid, Messages messages) {
    this.messages = messages;
    this.settings = settings;
    this.catalog = catalog;
    this.workerId = workerId;
    this.pid = pid;
    this.permits = new Semaphore(settings.maxConcurrent());
    this.pool = Executors.newFixedThreadPool(settings.maxConcurrent(), daemons("overseer-job-"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemons("overseer-job-timer-"));
  }

  /** Admits a run and returns at once; the answer comes from the pool thread. */
  public void run(WorkerProtocol.RunJob request) {
    Optional<Job> job = Optional.empty();
    if (request.command() == null) {
      job = catalog.find(request.job());
      if (job.isEmpty()) {
        refuse(
            request,
            WorkerProtocol.JobStatus.UNKNOWN_JOB,
            "no job named '" + request.job() + "' on this worker; it has " + names());
        return;
      }
    }
    if (!permits.tryAcquire()) {
      refuse(
          request,
          WorkerProtocol.JobStatus.BUSY,
          "busy: "
              + settings.maxConcurrent()
              + " jobs running (overseer.worker.jobs.max-concurrent)");
      return;
    }
    JobRun run = new JobRun(request, job);
    runs.put(request.requestId(), run);
    if (request.acceptedTo() != null) {
      request
          .acceptedTo()
          .tell(
              new WorkerProtocol.JobAccepted(
                  request.requestId(), workerId, job.map(Job::retryable).orElse(false)));
    }
    run.deadlineTimer(
        timer.schedule(
            () -> cancel(request.requestId(), "deadline"),
            request.timeoutMillis(),
            TimeUnit.MILLISECONDS));
    // The request id in the MDC of the pool thread: the job's own logger's lines carry it too.
    pool.execute(() -> RequestLog.with(request.correlationId(), () -> execute(run)));
  }

  /** The master no longer wants the run's result; no-op for an unknown (finished) run. */
  public void cancel(long requestId) {
    cancel(requestId, "cancelled by the master");
  }

  /** Runs going on now. */
  public int running() {
    return runs.size();
  }

  /** Runs going on past their cancellation's grace. */
  public int stuck() {
    return stuck.get();
  }

  private void cancel(long requestId, String reason) {
    JobRun run = runs.get(requestId);
    if (run == null || !run.cancel(reason)) {
      return;
    }
    RequestLog.with(
        run.request.correlationId(),
        () -> log.info("job {} (request {}): cancelling it ({})", run.name(), requestId, reason));
    timer.schedule(() -> checkStuck(run), settings.cancelGrace().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void checkStuck(JobRun run) {
    if (runs.get(run.request.requestId()) == run && run.markStuck()) {
      stuck.incrementAndGet();
      RequestLog.with(run.request.correlationId(), () -> logStuck(run));
    }
  }

  private void logStuck(JobRun run) {
    log.error(
        "job {} (request {}) still runs {} after it was cancelled"
            + " (overseer.worker.jobs.cancel-grace); asking the master to replace this worker",
        run.name(),
        run.request.requestId(),
        settings.cancelGrace());
  }

  private void execute(JobRun run) {
    run.runsOn(Thread.currentThread());
    Outcome outcome;
    try {
      outcome =
          run.request.command() != null
              ? CommandJob.run(run, settings.maxOutputBytes(), settings.cancelGrace())
              : runJava(run);
    } catch (InterruptedException e) {
      outcome = Outcome.cancelled(String.valueOf(run.cancelReason()));
    } finally {
      if (run.finish()) {
        stuck.decrementAndGet();
      }
      runs.remove(run.request.requestId());
      permits.release();
    }
    if (outcome.status() == WorkerProtocol.JobStatus.CANCELLED) {
      log.info(
          "job {} (request {}) ended cancelled after {} ms",
          run.name(),
          run.request.requestId(),
          System.currentTimeMillis() - run.startedAtMillis);
    }
    reply(run.request, outcome, run.startedAtMillis);
  }

  private Outcome runJava(JobRun run) {
    JobContextImpl context;
    try {
      context = new JobContextImpl(run, JSON.readTree(run.request.argsJson()), pid, messages);
    } catch (java.io.IOException e) {
      return Outcome.failed("arguments are not JSON: " + e.getMessage());
    }
    JsonNode result;
    try {
      result = run.job.orElseThrow().run(context);
    } catch (JobException e) {
      return run.cancelled()
          ? Outcome.cancelled(run.cancelReason())
          : Outcome.failed(String.valueOf(e.getMessage()));
    } catch (Exception | LinkageError | StackOverflowError e) {
      // InterruptedException included: a job interrupted by its cancellation ends cancelled.
      return run.cancelled() ? Outcome.cancelled(run.cancelReason()) : Outcome.failed(e.toString());
    }
    if (run.cancelled()) {
      return Outcome.cancelled(run.cancelReason());
    }
    return sized(result == null ? NullNode.getInstance() : result);
  }

  private Outcome sized(JsonNode result) {
    String json;
    try {
      json = JSON.writeValueAsString(result);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Outcome.failed("the result cannot be written as JSON: " + e.getOriginalMessage());
    }
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > settings.maxResultBytes()) {
      return Outcome.failed(
          "result too large: "
              + bytes
              + " bytes, over overseer.worker.jobs.max-result-size = "
              + settings.maxResultBytes());
    }
    return Outcome.succeeded(json);
  }

  private void refuse(WorkerProtocol.RunJob request, WorkerProtocol.JobStatus status, String why) {
    reply(request, new Outcome(status, "", why), 0);
  }

  private void reply(WorkerProtocol.RunJob request, Outcome outcome, long startedAtMillis) {
    String result = outcome.resultJson();
    if (result.getBytes(StandardCharsets.UTF_8).length > settings.maxResultBytes()) {
      result = ""; // a failed command's output is capped by max-output-size; this is the backstop
    }
    request
        .replyTo()
        .tell(
            new WorkerProtocol.JobDone(
                request.requestId(),
                request.job(),
                outcome.status(),
                result,
                outcome.error(),
                workerId,
                pid,
                startedAtMillis));
  }

  private String names() {
    return catalog.names().isEmpty()
        ? "none"
        : catalog.names().stream().sorted().toList().toString();
  }

  /** Cancels every run and stops the pool (the worker is stopping). */
  @Override
  public void close() {
    runs.keySet().forEach(id -> cancel(id, "the worker is stopping"));
    pool.shutdownNow();
    timer.shutdownNow();
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
