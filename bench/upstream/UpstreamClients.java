// The two upstream clients a BFF worker could use, side by side against one backend: java.net.http's
// asynchronous client (its selector thread and an executor of 2, as the worker had it) and blocking
// HttpURLConnection calls on a pool (as the worker has it now). Each "pair" is what the bench BFF
// route does: /products/1 and /inventory/1 in parallel. Prints pairs/s and the CPU microseconds this
// JVM spent per pair, after a warm-up.
//   java bench/upstream/UpstreamClients.java jnh|blocking PORT CONCURRENCY SECONDS
// Run by bench/upstream/run.sh, which starts the demo backend and alternates the two clients.
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

public class UpstreamClients {
  private static final long WARM_UP_NANOS = 10_000_000_000L;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    int concurrency = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    URI products = URI.create("http://127.0.0.1:" + port + "/products/1");
    URI inventory = URI.create("http://127.0.0.1:" + port + "/inventory/1");
    boolean blocking = mode.equals("blocking");
    // Blocking: one thread per call in flight, as the worker's upstream-threads.
    ExecutorService pool = Executors.newFixedThreadPool(blocking ? 2 * concurrency : 2);
    HttpClient http =
        HttpClient.newBuilder().executor(pool).version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong pairs = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    long measureFrom = start + WARM_UP_NANOS;
    long end = measureFrom + seconds * 1_000_000_000L;
    long cpuAtStart = -1;
    long pairsAtStart = 0;
    long timeAtStart = 0;
    while (System.nanoTime() < end) {
      if (cpuAtStart < 0 && System.nanoTime() >= measureFrom) {
        cpuAtStart = cpuNanos();
        pairsAtStart = pairs.get();
        timeAtStart = System.nanoTime();
      }
      inFlight.acquire();
      CompletableFuture<byte[]> a = blocking ? blockingGet(products, pool) : asyncGet(http, products);
      CompletableFuture<byte[]> b =
          blocking ? blockingGet(inventory, pool) : asyncGet(http, inventory);
      a.thenCombine(b, (x, y) -> x.length + y.length)
          .whenComplete(
              (bytes, error) -> {
                if (error != null) {
                  errors.incrementAndGet();
                }
                pairs.incrementAndGet();
                inFlight.release();
              });
    }
    long cpu = cpuNanos() - cpuAtStart;
    long done = pairs.get() - pairsAtStart;
    double elapsed = (System.nanoTime() - timeAtStart) / 1e9;
    System.out.printf(
        "%s: %.0f pairs/s, %.1f us CPU per pair, %d errors%n",
        mode, done / elapsed, cpu / 1e3 / done, errors.get());
    System.exit(errors.get() == 0 ? 0 : 1);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static CompletableFuture<byte[]> asyncGet(HttpClient http, URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(2))
            .header("accept", "application/json")
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(HttpResponse::body);
  }

  private static CompletableFuture<byte[]> blockingGet(URI uri, ExecutorService pool) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            connection.setRequestProperty("accept", "application/json");
            int status = connection.getResponseCode();
            try (InputStream in =
                status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
              return in == null ? new byte[0] : in.readAllBytes();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        pool);
  }
}
