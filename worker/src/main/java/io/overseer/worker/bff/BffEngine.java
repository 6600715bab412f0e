package io.overseer.worker.bff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import io.overseer.api.bff.BffContext;
import io.overseer.api.bff.BffHandler;
import io.overseer.api.bff.BffRequest;
import io.overseer.api.bff.BffResponse;
import io.overseer.protocol.logging.RequestLog;
import io.overseer.worker.logging.RequestLogger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The BFF engine of a worker: compiles the {@code overseer.bff} routes once, then answers {@link
 * BffRequest}s. A declarative route gathers its upstreams ({@link RouteRunner}), composes them
 * ({@link Composer}) and answers JSON or a rendered page ({@link PageRenderer}); a handler route
 * runs its {@link BffHandler}.
 *
 * <p>All work runs on the engine's own threads, never on the JDK common pool: composition,
 * rendering and handlers on {@code client-threads}, upstream calls on {@code upstream-threads}. A
 * configuration mistake (unknown handler, missing template, dependency cycle, bad JSLT) fails
 * {@link #create}, so that a worker with a broken route never becomes ready.
 */
public final class BffEngine implements AutoCloseable {
  private final BffSettings settings;
  private final Map<String, RouteDefinition> routes;
  private final Map<String, BffHandler> handlers;
  private final PageRenderer pages;
  private final JsonCodec json;
  private final ExecutorService executor;
  private final ExecutorService upstreamThreads;

  /**
   * Where a route's answer is composed once its calls are in: right there when the last call ended
   * on an upstream thread (one hand-off fewer per request), on {@code client-threads} otherwise
   * (the worker's own thread, when every call came from the cache, is not for transforms).
   */
  private final Executor afterCalls;

  private final UpstreamClient client;
  private final RouteRunner runner;
  private volatile boolean closed;

  private BffEngine(
      BffSettings settings,
      Map<String, RouteDefinition> routes,
      Map<String, BffHandler> handlers,
      PageRenderer pages,
      JsonCodec json) {
    this.settings = settings;
    this.routes = routes;
    this.handlers = handlers;
    this.pages = pages;
    this.json = json;
    this.executor =
        Executors.newFixedThreadPool(settings.clientThreads(), daemonThreads("overseer-bff-"));
    this.upstreamThreads = upstreamThreads(settings.upstreamThreads());
    this.afterCalls =
        task -> {
          if (Thread.currentThread() instanceof UpstreamThread) {
            task.run();
          } else {
            executor.execute(task);
          }
        };
    Duration longestTtl =
        routes.values().stream()
            .flatMap(
                r ->
                    Stream.concat(
                        Stream.of(r.handlerCacheTtl()),
                        r.upstreams().stream().map(UpstreamDefinition::cacheTtl)))
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    this.client =
        new UpstreamClient(
            new UpstreamHttp(json, settings, executor, upstreamThreads),
            new ResultCache(settings.limits().maxCacheEntries(), longestTtl, System::nanoTime),
            settings.limits().retryBackoff(),
            executor);
    this.runner = new RouteRunner(client, json, settings.forwardHeaders());
  }

  /** What handlers send messages with; set by the worker once its messaging has started. */
  private volatile io.overseer.api.messaging.Messages messages =
      io.overseer.worker.messaging.NoMessages.INSTANCE;

  /** Handlers' {@code context.messages()} from now on. */
  public void useMessages(io.overseer.api.messaging.Messages messages) {
    this.messages = messages;
  }

  /**
   * Reads {@code overseer.bff}, compiles every route and template, and finds the handlers routes
   * name.
   *
   * @param config the whole configuration (the {@code overseer.bff} section is read)
   * @param configDirectory the directory of the user's config file; {@code templates} and {@code
   *     transform-file} are relative to it ({@code null}: the working directory)
   * @throws com.typesafe.config.ConfigException naming the key when a route cannot work
   */
  public static BffEngine create(Config config, Path configDirectory) {
    BffSettings settings = BffSettings.create(config, configDirectory);
    JsonCodec json = new JsonCodec(settings.limits().maxJsonDepth());
    Map<String, RouteDefinition> routes = new LinkedHashMap<>();
    for (String name : settings.routes().root().keySet()) {
      routes.put(
          name,
          RouteDefinition.parse(
              name,
              settings.routes().getConfig(ConfigUtil.joinPath(name)),
              settings,
              configDirectory));
    }
    HandlerRegistry registry = HandlerRegistry.load(BffEngine.class.getClassLoader());
    Map<String, BffHandler> handlers = new HashMap<>();
    routes.values().stream()
        .filter(r -> r.handler() != null)
        .forEach(r -> handlers.put(r.name(), registry.require(r)));
    Set<String> templates =
        routes.values().stream()
            .map(RouteDefinition::template)
            .filter(t -> t != null)
            .collect(Collectors.toSet());
    PageRenderer pages = PageRenderer.load(settings.templates(), templates, json.mapper());
    return new BffEngine(settings, Map.copyOf(routes), Map.copyOf(handlers), pages, json);
  }

  /**
   * Answers one request. Never completes exceptionally: failures become JSON answers (404 unknown
   * route, 502 upstream failed, 504 deadline exceeded, 500 transform or handler failed, 503 engine
   * closed), on a page route too: the master's edge shows them as the route's error page, the one
   * place that does (io.overseer.master.bff.ErrorPage).
   */
  public CompletionStage<BffResponse> handle(BffRequest request) {
    RouteDefinition route = routes.get(request.route());
    if (route == null) {
      return CompletableFuture.completedFuture(BffResponses.unknownRoute(request.route()));
    }
    if (closed) {
      return CompletableFuture.completedFuture(BffResponses.closed(route.name()));
    }
    Instant deadline =
        request.deadline() != null
            ? request.deadline()
            : Instant.now().plus(settings.limits().defaultDeadline());
    // Each step that logs runs with the request's id in its thread's MDC (threads change between
    // steps): the composition, the handler, the failure.
    String requestId = request.header(RequestLog.HEADER);
    CompletableFuture<BffResponse> answer;
    try {
      answer =
          route.handler() != null
              ? runHandler(route, request, deadline)
              : runner
                  .gather(route, request, deadline)
                  .thenApplyAsync(
                      input -> RequestLog.with(requestId, () -> respond(route, input)), afterCalls);
    } catch (RuntimeException e) {
      // Thrown before any future existed: still an answer, never an exception for the caller.
      answer = CompletableFuture.failedFuture(e);
    }
    long left = Math.max(Duration.between(Instant.now(), deadline).toNanos(), 1);
    return answer
        .orTimeout(left, TimeUnit.NANOSECONDS)
        .exceptionally(
            error -> RequestLog.with(requestId, () -> BffResponses.failure(route.name(), error)));
  }

  /** Per upstream since start, for the master's metrics (sent with the worker's pongs). */
  public java.util.List<io.overseer.protocol.MasterProtocol.UpstreamFigures> upstreamFigures() {
    return client.upstreamFigures();
  }

  /** Counters since start: upstream requests sent, cache hits, coalesced calls. */
  public BffStats stats() {
    return client.stats();
  }

  /**
   * Stops the engine's threads. Requests still in flight are abandoned (their callers' deadlines
   * answer them), so drain the worker first; later requests get 503.
   */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    upstreamThreads.shutdownNow();
  }

  private BffResponse respond(RouteDefinition route, ObjectNode input) {
    if (!input.get("partial").isEmpty()) {
      LoggerFactory.getLogger(BffEngine.class)
          .info("partial answer: route={} missing={}", route.name(), input.get("partial"));
    }
    JsonNode data = Composer.compose(route, input);
    String text = json.write(data);
    return route.template() == null
        ? BffResponse.json(200, text)
        : BffResponse.html(200, pages.render(route.template(), data, text));
  }

  private CompletableFuture<BffResponse> runHandler(
      RouteDefinition route, BffRequest request, Instant deadline) {
    BffHandler handler = handlers.get(route.name());
    String requestId = request.header(RequestLog.HEADER);
    // The handler's futures go on on the HTTP client's threads: its logger carries the id there.
    BffContext context =
        new HandlerContext(
            request,
            deadline,
            RequestLogger.of(
                LoggerFactory.getLogger("io.overseer.worker.bff.handler." + handler.name()),
                requestId),
            route.settings(),
            HandlerContext.client(client, settings, route, runner.forwarded(request), deadline),
            messages);
    return CompletableFuture.supplyAsync(
            () -> RequestLog.with(requestId, () -> handler.handle(context)), executor)
        .thenCompose(stage -> stage);
  }

  /**
   * One thread per upstream call in flight (each waits on its socket), up to {@code
   * upstream-threads}; later calls queue, their limits running. Idle threads end after 30 s, so an
   * idle worker keeps none. Also sets what HttpURLConnection reads once, before its first use.
   */
  private static ExecutorService upstreamThreads(int threads) {
    // Idle keep-alive connections kept per host (JDK default 5): one per thread that may call it,
    // or busy routes would open and close connections all the time.
    System.getProperties().putIfAbsent("http.maxConnections", String.valueOf(threads));
    // HttpURLConnection would send a POST again on its own when a kept-alive connection turns out
    // closed; whether a call is sent twice is the route's decision (idempotent methods only).
    System.getProperties().putIfAbsent("sun.net.http.retryPost", "false");
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            upstreamThreadFactory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The upstream pool's threads, told apart by {@link #afterCalls}. */
  private static final class UpstreamThread extends Thread {
    UpstreamThread(Runnable task, String name) {
      super(task, name);
      // Daemon: a worker exiting must not wait for idle threads.
      setDaemon(true);
    }
  }

  private static ThreadFactory upstreamThreadFactory() {
    AtomicInteger count = new AtomicInteger();
    return task -> new UpstreamThread(task, "overseer-upstream-" + count.incrementAndGet());
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      // Daemon: a worker exiting must not wait for idle threads.
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
