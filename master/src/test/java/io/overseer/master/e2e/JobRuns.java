package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * What {@link JobsIT} asks of its master: posting jobs, and finding, killing and reading workers.
 */
record JobRuns(RunningMaster master) {
  HttpResponse<String> post(String path, String body) throws Exception {
    return master.send(
        master
            .request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return post(path, body);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The id of the one worker running a job, once its pong says so. */
  String runningWorker() {
    String[] id = new String[1];
    await("a worker runs the job")
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              var busy =
                  master.onlineWorkers().stream()
                      .filter(w -> w.get("inFlight").asInt() > 0)
                      .toList();
              if (busy.size() == 1) {
                id[0] = busy.get(0).get("id").asText();
                return true;
              }
              return false;
            });
    return id[0];
  }

  void kill(String workerId) throws Exception {
    long pid = master.process(workerId).orElseThrow().get("pid").asLong();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Both workers online and running nothing: what an earlier test killed is replaced, what it left
   * running (a cancelled run, a stubborn job) has ended.
   */
  void twoIdleWorkers() {
    await("two online workers, both idle")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<JsonNode> online = master.onlineWorkers();
              return online.size() == 2
                  && online.stream().allMatch(w -> w.get("inFlight").asInt() == 0);
            });
  }

  /** How many runs the workers logged as ended by their cancellation so far. */
  long cancelledRuns() {
    return workerLogs().lines().filter(l -> l.contains("ended cancelled")).count();
  }

  String workerLogs() {
    try (Stream<Path> files = Files.walk(master.home.resolve("logs"))) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().startsWith("web")) {
          all.append(Files.readString(file, StandardCharsets.UTF_8));
        }
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
