package io.overseer.master.e2e;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load of idempotent {@code /compute} requests on a few threads, each sending its next
 * request when the last is answered; it records every failure (a status other than 200) and the
 * pids that answered.
 */
final class Load implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong successes = new AtomicLong();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Set<Long> pids = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();

  Load(RunningMaster master, int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> response = master.get("/compute?n=1000");
                    if (response.statusCode() == 200) {
                      successes.incrementAndGet();
                      pids.add(RunningMaster.json(response).get("pid").asLong());
                    } else {
                      failures.add(response.statusCode() + " " + response.body());
                    }
                  } catch (Exception e) {
                    if (running.get()) {
                      failures.add(e.toString());
                    }
                  }
                }
              },
              "load-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  void awaitSuccesses(long count) {
    await(count + " successful requests")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> successes.get() >= count);
  }

  long successes() {
    return successes.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  Set<Long> pids() {
    return Set.copyOf(pids);
  }

  /** Stops sending and waits for the requests in flight to be answered. */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(130).toMillis());
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
