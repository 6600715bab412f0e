package io.overseer.worker.bff;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One upstream call of a declarative route, read from {@code routes.<route>.upstreams.<name>} with
 * {@code overseer.bff.upstream-defaults} as fallback.
 *
 * @param name the name the call's JSON has in the transform input and in later templates
 * @param method the HTTP method
 * @param url the URL template
 * @param body the JSON body template, or {@code null} for none
 * @param required whether its failure fails the route (502) rather than being listed in {@code
 *     partial}
 * @param timeout the limit of one attempt, further bounded by the request's deadline
 * @param retries extra attempts after a transient failure; always 0 for methods that are not
 *     idempotent
 * @param cacheTtl how old a cached GET result may be and still be used; zero disables the cache
 * @param dependencies the upstreams whose results the templates read, which must answer first
 * @param passStatuses non-2xx statuses of a required upstream that the route answers as they are (a
 *     REST API's 404 stays a 404), instead of 502
 */
record UpstreamDefinition(
    String name,
    String method,
    Placeholders url,
    Placeholders body,
    boolean required,
    Duration timeout,
    int retries,
    Duration cacheTtl,
    Set<String> dependencies,
    Set<Integer> passStatuses) {

  /** Roots a template may read that are not upstreams; also names no upstream may take. */
  static final Set<String> REQUEST_ROOTS = Set.of("path", "query", "body");

  private static final Set<String> RESERVED = Set.of("path", "query", "body", "partial");

  /** RFC 9110 idempotent methods: the only ones safe to send twice. */
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  static UpstreamDefinition parse(
      String where, String name, Config own, BffSettings settings, Set<String> siblings) {
    if (RESERVED.contains(name)) {
      throw new ConfigException.BadValue(
          where, "'" + name + "' is reserved for the request's own data");
    }
    Config c = own.withFallback(settings.upstreamDefaults());
    String method = c.getString("method").toUpperCase(Locale.ROOT);
    Placeholders url = Placeholders.parse(c.getString("url"));
    Placeholders body = c.hasPath("body") ? Placeholders.parse(c.getString("body")) : null;
    Duration timeout =
        c.hasPath("timeout") ? c.getDuration("timeout") : settings.limits().defaultTimeout();
    int retries =
        !IDEMPOTENT.contains(method)
            ? 0
            : c.hasPath("retries") ? c.getInt("retries") : settings.limits().maxRetries();
    Set<String> dependencies = new LinkedHashSet<>();
    Set<String> roots = new LinkedHashSet<>(url.roots());
    if (body != null) {
      roots.addAll(body.roots());
    }
    for (String root : roots) {
      if (REQUEST_ROOTS.contains(root)) {
        continue;
      }
      if (!siblings.contains(root) || root.equals(name)) {
        throw new ConfigException.BadValue(
            where, "{" + root + ".…} names no other upstream of this route");
      }
      dependencies.add(root);
    }
    return new UpstreamDefinition(
        name,
        method,
        url,
        body,
        c.getBoolean("required"),
        timeout,
        retries,
        c.getDuration("cache-ttl"),
        Set.copyOf(dependencies),
        passStatuses(where, c.getIntList("pass-statuses")));
  }

  /**
   * Only client and server errors can be passed: a 2xx is a success, a 1xx or 3xx never a final
   * answer here.
   */
  private static Set<Integer> passStatuses(String where, java.util.List<Integer> statuses) {
    for (int status : statuses) {
      if (status < 400 || status > 599) {
        throw new ConfigException.BadValue(
            where + ".pass-statuses", "must be 400..599, got " + status);
      }
    }
    return Set.copyOf(statuses);
  }

  /** Only GET results are cached and coalesced: other methods may change state at each call. */
  boolean isGet() {
    return method.equals("GET");
  }
}
