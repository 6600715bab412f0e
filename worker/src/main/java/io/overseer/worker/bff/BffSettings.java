package io.overseer.worker.bff;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code overseer.bff} section, read once when the engine starts.
 *
 * @param templates the Mustache template directory, already resolved against the config directory
 * @param limits the limits every upstream call and body obeys
 * @param breaker the circuit breaker settings, one breaker per upstream {@code host:port}
 * @param forwardHeaders lower-case names of the request headers passed on to upstreams
 * @param clientThreads threads of composition, rendering and handlers
 * @param upstreamThreads the most upstream calls in flight at once, one thread each
 * @param upstreamDefaults the fallback of every route's {@code upstreams.<name>} block
 * @param routes the {@code routes} block, one key per route
 */
record BffSettings(
    Path templates,
    Limits limits,
    Breaker breaker,
    Set<String> forwardHeaders,
    int clientThreads,
    int upstreamThreads,
    Config upstreamDefaults,
    Config routes) {

  /** Limits; see reference.conf for what each one bounds. */
  record Limits(
      long maxResponseSize,
      int maxJsonDepth,
      Duration defaultTimeout,
      int maxRetries,
      Duration retryBackoff,
      Duration defaultDeadline,
      int maxCacheEntries) {}

  /** Circuit breaker settings, applied to each upstream host:port separately. */
  record Breaker(int maxFailures, Duration callTimeout, Duration resetTimeout) {}

  /** Headers the HTTP clients manage themselves: forwarding them would fail or be dropped. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  static BffSettings create(Config config, Path configDirectory) {
    Config c = config.getConfig("overseer.bff");
    Config l = c.getConfig("limits");
    Limits limits =
        new Limits(
            l.getBytes("max-response-size"),
            l.getInt("max-json-depth"),
            l.getDuration("default-timeout"),
            l.getInt("max-retries"),
            l.getDuration("retry-backoff"),
            l.getDuration("default-deadline"),
            l.getInt("max-cache-entries"));
    Config b = c.getConfig("circuit-breaker");
    Breaker breaker =
        new Breaker(
            b.getInt("max-failures"),
            b.getDuration("call-timeout"),
            b.getDuration("reset-timeout"));
    Set<String> forward = forwardHeaders(c.getStringList("forward-headers"));
    Path base = configDirectory == null ? Path.of("") : configDirectory;
    return new BffSettings(
        base.resolve(c.getString("templates")),
        limits,
        breaker,
        forward,
        atLeastOne(c, "client-threads"),
        atLeastOne(c, "upstream-threads"),
        c.getConfig("upstream-defaults"),
        c.getConfig("routes"));
  }

  private static int atLeastOne(Config c, String key) {
    int value = c.getInt(key);
    if (value < 1) {
      throw new ConfigException.BadValue("overseer.bff." + key, "must be at least 1, was " + value);
    }
    return value;
  }

  private static Set<String> forwardHeaders(List<String> names) {
    Set<String> lower =
        names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    for (String name : lower) {
      if (RESTRICTED.contains(name)) {
        throw new ConfigException.BadValue(
            "overseer.bff.forward-headers",
            "'" + name + "' is managed by the HTTP client and cannot be forwarded");
      }
    }
    return Set.copyOf(lower);
  }
}
