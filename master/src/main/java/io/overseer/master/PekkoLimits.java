package io.overseer.master;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.overseer.master.bff.BffRoute;
import io.overseer.master.jobs.JobDefinition;
import io.overseer.master.supervision.AppSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Pekko's own limits that must cover Overseer's keys, derived from those keys when the
 * configuration is loaded. A fixed {@code request-timeout} of 130 s answered 503 for a user who set
 * a 5-minute {@code compute.timeout}; a fixed 35 s shutdown phase cut a longer {@code
 * shutdown-drain}. Each derived timeout is the Overseer key it must cover plus {@code
 * overseer.http.timeout-margin}, or the value configured under {@code pekko.*} when that is larger:
 * a user may raise Pekko's, never lower it below what Overseer promises.
 *
 * @param requestTimeout over the longest routed request: {@code compute.timeout} and every BFF
 *     route's {@code timeout}
 * @param idleTimeout over the request timeout and {@code admin.operation-timeout}: an idle
 *     connection is cut even while its request runs, so it must outlast every request
 * @param requestsDoneTimeout the coordinated-shutdown phase in which the edge drains, over {@code
 *     http.shutdown-drain}
 * @param serviceStopTimeout the phase that stops every process, over twice the largest {@code
 *     kill-timeout} (the apps drain, then SIGTERM, then SIGKILL)
 * @param maxContentLength Pekko's global request body limit: {@code overseer.http.max-body-size}
 * @param maxUriLength Pekko's request-target limit, over {@code bff.edge.max-query-length} plus
 *     {@link #PATH_ROOM}: with Pekko's default of 2k, a BFF query of 2 to 4 KiB was refused by
 *     Pekko before the edge could apply (and name) its own limit
 */
public record PekkoLimits(
    Duration requestTimeout,
    Duration idleTimeout,
    Duration requestsDoneTimeout,
    Duration serviceStopTimeout,
    long maxContentLength,
    long maxUriLength) {

  static final String REQUEST_TIMEOUT = "pekko.http.server.request-timeout";
  static final String IDLE_TIMEOUT = "pekko.http.server.idle-timeout";
  static final String REQUESTS_DONE =
      "pekko.coordinated-shutdown.phases.service-requests-done.timeout";
  static final String SERVICE_STOP = "pekko.coordinated-shutdown.phases.service-stop.timeout";
  static final String MAX_CONTENT_LENGTH = "pekko.http.server.parsing.max-content-length";
  static final String MAX_URI_LENGTH = "pekko.http.server.parsing.max-uri-length";

  /** Room for a request's path beside the longest query the BFF edge accepts. */
  static final long PATH_ROOM = 2048;

  /** Stands for Pekko's {@code infinite}: longer than any finite setting. */
  static final Duration INFINITE = Duration.ofSeconds(Long.MAX_VALUE);

  /**
   * @param loaded the whole loaded configuration (Overseer's keys and Pekko's)
   * @param settings what was read from it
   */
  public static PekkoLimits derive(Config loaded, MasterSettings settings) {
    Duration longestRequest =
        Stream.of(
                Stream.of(settings.computeRoute().timeout()),
                settings.bffRoutes().stream().map(BffRoute::routing).map(r -> r.timeout()),
                // A job's route and /_admin/jobs wait for its deadline on an open connection.
                settings.jobs().stream().map(JobDefinition::deadline))
            .flatMap(s -> s)
            .max(Duration::compareTo)
            .orElseThrow();
    Duration longestKill =
        settings.apps().stream()
            .map(AppSettings::killTimeout)
            .max(Duration::compareTo)
            .orElse(Duration.ZERO);
    return derive(
        loaded,
        longestRequest,
        settings.edge().adminOperationTimeout(),
        settings.edge().shutdownDrain(),
        longestKill,
        settings.bffLimits().maxQueryLength());
  }

  /**
   * @param longestRequest the longest deadline of a routed request
   * @param adminOperation {@code admin.operation-timeout}
   * @param shutdownDrain {@code http.shutdown-drain}
   * @param longestKill the largest {@code kill-timeout} of any app
   * @param maxQueryLength {@code bff.edge.max-query-length}
   */
  static PekkoLimits derive(
      Config loaded,
      Duration longestRequest,
      Duration adminOperation,
      Duration shutdownDrain,
      Duration longestKill,
      long maxQueryLength) {
    Duration margin = loaded.getDuration("overseer.http.timeout-margin");
    Duration request = atLeast(loaded, REQUEST_TIMEOUT, longestRequest.plus(margin));
    Duration idle =
        atLeast(loaded, IDLE_TIMEOUT, max(request, adminOperation.plus(margin)).plus(margin));
    Duration requestsDone = atLeast(loaded, REQUESTS_DONE, shutdownDrain.plus(margin));
    Duration serviceStop = atLeast(loaded, SERVICE_STOP, longestKill.multipliedBy(2).plus(margin));
    // The server's parsing block inherits pekko.http.parsing unless set itself.
    String uriKey =
        loaded.hasPath(MAX_URI_LENGTH) ? MAX_URI_LENGTH : "pekko.http.parsing.max-uri-length";
    long uri = Math.max(loaded.getBytes(uriKey), maxQueryLength + PATH_ROOM);
    return new PekkoLimits(
        request,
        idle,
        requestsDone,
        serviceStop,
        loaded.getBytes("overseer.http.max-body-size"),
        uri);
  }

  /**
   * The derived keys, to layer over the loaded configuration; a timeout set to infinite is left
   * alone.
   */
  public Config toConfig() {
    Map<String, Object> values = new LinkedHashMap<>();
    putFinite(values, REQUEST_TIMEOUT, requestTimeout);
    putFinite(values, IDLE_TIMEOUT, idleTimeout);
    putFinite(values, REQUESTS_DONE, requestsDoneTimeout);
    putFinite(values, SERVICE_STOP, serviceStopTimeout);
    values.put(MAX_CONTENT_LENGTH, maxContentLength);
    values.put(MAX_URI_LENGTH, maxUriLength);
    return ConfigFactory.parseMap(
        values, "derived from overseer.* keys (" + PekkoLimits.class.getName() + ")");
  }

  private static void putFinite(Map<String, Object> values, String key, Duration value) {
    if (!value.equals(INFINITE)) {
      values.put(key, millis(value));
    }
  }

  /**
   * The configured value when it is larger, else the required one. A user's {@code infinite} is
   * larger than anything and stays ({@link #INFINITE} marks it).
   */
  private static Duration atLeast(Config loaded, String key, Duration required) {
    if (!loaded.hasPath(key)) {
      return required;
    }
    String raw = loaded.getValue(key).unwrapped().toString();
    if (raw.equals("infinite")) {
      return INFINITE;
    }
    return max(loaded.getDuration(key), required);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String millis(Duration duration) {
    return duration.toMillis() + "ms";
  }

  /** For the master's log: what was derived. */
  @Override
  public String toString() {
    return "request-timeout "
        + millis(requestTimeout)
        + ", idle-timeout "
        + millis(idleTimeout)
        + ", service-requests-done "
        + millis(requestsDoneTimeout)
        + ", service-stop "
        + millis(serviceStopTimeout)
        + ", max-content-length "
        + maxContentLength
        + " bytes, max-uri-length "
        + maxUriLength;
  }
}
