package io.overseer.master.dashboard;

import io.overseer.master.http.BadParameter;
import io.overseer.master.http.JsonResponses;
import io.overseer.master.logs.LogLine;
import io.overseer.master.metrics.RequestRates;
import io.overseer.master.supervision.ProcessSupervisor;
import io.overseer.protocol.MasterProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The dashboard's HTTP side. {@link #uiRoutes} ({@code /_admin/ui/...}) take the session cookie
 * instead of the admin token, and are served before the token check; {@link #adminRoutes} ({@code
 * /_admin/live}, {@code /_admin/dashboard/login-codes}) sit behind the token like the rest of the
 * admin API.
 */
public final class DashboardRoutes extends AllDirectives {
  private static final String RESOURCES = "io/overseer/master/dashboard/";
  private static final String CSRF_PLACEHOLDER = "{{csrf}}";

  /** The admin operations the page may call, below {@code /_admin/ui/api}: nothing else. */
  private static final Pattern ACTIONS =
      Pattern.compile("/(apps/[^/]+/(reload|restart|scale)|workers/[^/]+/(restart|stop|start))");

  /**
   * The page loads only its own files and talks only to its own origin; nothing may frame it, and
   * it sends no Referer (a login URL must not leak through one).
   */
  private static final List<HttpHeader> PAGE_HEADERS =
      List.of(
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
                  + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
          RawHeader.create("Referrer-Policy", "no-referrer"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Cache-Control", "no-store"));

  private final DashboardSettings settings;
  private final DashboardAccess access;
  private final LiveFeed feed;
  private final ProcessLogs logs;
  private final String adminToken;
  private final String page;

  DashboardRoutes(
      DashboardSettings settings,
      DashboardAccess access,
      LiveFeed feed,
      ProcessLogs logs,
      String adminToken) {
    this.settings = settings;
    this.access = access;
    this.feed = feed;
    this.logs = logs;
    this.adminToken = adminToken;
    this.page = resource("index.html");
  }

  /**
   * Starts the live feed and builds the routes.
   *
   * @param settings {@code overseer.dashboard}
   * @param desk the agent desk: every host's processes, as {@code /_admin/workers} shows them
   * @param rates the metrics' per-process request rates ({@link RequestRates#none()} without)
   * @param logDirectory the master's own processes' logs
   * @param askTimeout how long a tick waits for the desk ({@code overseer.admin.ask-timeout})
   * @param adminToken added to the page's actions inside the master, which the admin API then
   *     checks as for any caller
   */
  public static DashboardRoutes start(
      ActorSystem<?> system,
      DashboardSettings settings,
      ActorRef<MasterProtocol.Command> desk,
      RequestRates rates,
      Path logDirectory,
      Duration askTimeout,
      String adminToken) {
    LiveFeed feed =
        LiveFeed.start(
            settings,
            () ->
                AskPattern.ask(
                    desk, ProcessSupervisor.GetApps::new, askTimeout, system.scheduler()),
            rates,
            Clock.systemUTC(),
            Materializer.matFromSystem(system));
    ProcessLogs logs =
        new ProcessLogs(
            logDirectory,
            desk,
            system.scheduler(),
            system.dispatchers().lookup(DispatcherSelector.blocking()),
            askTimeout,
            settings.logLines());
    return new DashboardRoutes(
        settings, new DashboardAccess(settings, Clock.systemUTC()), feed, logs, adminToken);
  }

  /**
   * {@code /_admin/ui/...}, matched below {@code /_admin}; answers everything under {@code ui}
   * itself (404 for an unknown path), so nothing falls through to the token check.
   *
   * @param adminApi the admin API's routes, which the page's actions are handed to
   */
  public Route uiRoutes(Supplier<Route> adminApi) {
    return pathPrefix(
        "ui",
        () ->
            respondWithHeaders(
                PAGE_HEADERS,
                () ->
                    concat(
                        path("login", () -> get(() -> parameterOptional("code", this::login))),
                        optionalCookie(
                            DashboardAccess.COOKIE,
                            cookie ->
                                withSession(cookie, session -> loggedIn(session, adminApi))))));
  }

  private Route loggedIn(DashboardAccess.Session session, Supplier<Route> adminApi) {
    return concat(
        pathEndOrSingleSlash(() -> get(() -> page(session))),
        path("dashboard.js", () -> get(() -> getFromResource(RESOURCES + "dashboard.js"))),
        path("dashboard.css", () -> get(() -> getFromResource(RESOURCES + "dashboard.css"))),
        path("events", () -> get(() -> events(session))),
        pathPrefix("api", () -> checked(session, () -> api(adminApi))),
        notFound());
  }

  /** Behind the admin token: {@code GET live} for monit, {@code POST dashboard/login-codes}. */
  public Route adminRoutes() {
    return concat(
        path("live", () -> get(() -> onSuccess(feed.latest(), this::json))),
        path(
            PathMatchers.segment("dashboard").slash("login-codes"),
            () ->
                post(
                    () -> {
                      String code = access.newCode();
                      return complete(
                          JsonResponses.ok(
                              Map.of(
                                  "code",
                                  code,
                                  "path",
                                  "/_admin/ui/login?code=" + code,
                                  "expiresInSeconds",
                                  settings.loginCodeTtl().toSeconds())));
                    })));
  }

  private Route login(Optional<String> code) {
    if (code.isEmpty() || code.get().isEmpty()) {
      return complete(unauthorized("missing login code: run 'overseer dashboard' for a login URL"));
    }
    DashboardAccess.Login login = access.redeem(code.get());
    if (login instanceof DashboardAccess.Refused refused) {
      return complete(unauthorized(refused.problem()));
    }
    DashboardAccess.Session session = ((DashboardAccess.LoggedIn) login).session();
    HttpCookie cookie =
        HttpCookie.create(DashboardAccess.COOKIE, session.id())
            .withHttpOnly(true)
            .withSameSite(SameSite.Strict)
            .withPath("/_admin")
            .withMaxAge(settings.sessionTtl().toSeconds());
    // 303 to the page itself: the code leaves the address bar and the history entry.
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.SEE_OTHER)
            .addHeader(Location.create(Uri.create("/_admin/ui")))
            .addHeader(SetCookie.create(cookie)));
  }

  private Route withSession(
      Optional<HttpCookiePair> cookie,
      java.util.function.Function<DashboardAccess.Session, Route> inner) {
    Optional<DashboardAccess.Session> session =
        cookie.flatMap(pair -> access.session(pair.value()));
    return session.isPresent()
        ? inner.apply(session.get())
        : complete(
            unauthorized(
                cookie.isPresent()
                    ? "dashboard session expired or unknown: run 'overseer dashboard' for a new"
                        + " login URL"
                    : "no dashboard session: run 'overseer dashboard' for a login URL"));
  }

  /**
   * CSRF: every API call carries the session's token in {@link DashboardAccess#CSRF_HEADER}, which
   * a page of another site cannot read, and comes from the dashboard's own origin (SameSite=Strict
   * already keeps the cookie off cross-site requests; these hold even where it would not).
   */
  private Route checked(DashboardAccess.Session session, Supplier<Route> inner) {
    return optionalHeaderValueByName(
        DashboardAccess.CSRF_HEADER,
        csrf ->
            optionalHeaderValueByName(
                "Origin",
                origin ->
                    optionalHeaderValueByName(
                        "Host",
                        host ->
                            extractRequest(
                                request -> {
                                  if (!DashboardAccess.csrfMatches(session, csrf)) {
                                    return complete(
                                        forbidden(
                                            "missing or wrong "
                                                + DashboardAccess.CSRF_HEADER
                                                + " header (the dashboard page sends it)"));
                                  }
                                  // Browsers omit Origin on a same-origin GET; on anything else it
                                  // must be there, and be ours.
                                  boolean safe = request.method().equals(HttpMethods.GET);
                                  if ((!safe || origin.isPresent())
                                      && !DashboardAccess.sameOrigin(origin, host.orElse(""))) {
                                    return complete(
                                        forbidden(
                                            "cross-origin request refused: Origin "
                                                + origin.orElse("missing")
                                                + " is not this dashboard's"));
                                  }
                                  return inner.get();
                                }))));
  }

  private Route api(Supplier<Route> adminApi) {
    return concat(
        path("logs", () -> get(() -> parameterOptional("process", this::processLogs))),
        post(
            () ->
                extractUnmatchedPath(
                    path ->
                        ACTIONS.matcher(path).matches()
                            // The admin API answers it as if the CLI had asked: the same
                            // validation, errors and operations, with the token added here, in the
                            // master, never in the browser.
                            ? mapRequest(
                                request ->
                                    request
                                        .removeHeader("Authorization")
                                        .addHeader(Authorization.oauth2(adminToken)),
                                adminApi)
                            : notFound())),
        notFound());
  }

  private Route processLogs(Optional<String> process) {
    if (process.isEmpty()) {
      throw new BadParameter("process", "missing: ?process=ID, e.g. web-0 or web-0@h2");
    }
    return onSuccess(
        logs.lastLines(process.get()),
        lines ->
            complete(JsonResponses.ok(Map.of("process", process.get(), "lines", lines(lines)))));
  }

  private static List<Map<String, String>> lines(List<LogLine> lines) {
    return lines.stream()
        .map(
            line ->
                Map.of(
                    "time", line.time().toString(), "source", line.source(), "text", line.text()))
        .toList();
  }

  private Route page(DashboardAccess.Session session) {
    return complete(
        HttpResponse.create()
            .withEntity(
                ContentTypes.TEXT_HTML_UTF8,
                page.replace(CSRF_PLACEHOLDER, session.csrfToken())
                    .getBytes(StandardCharsets.UTF_8)));
  }

  /** One page's stream: the history for its charts, then every snapshot as it is taken. */
  private Route events(DashboardAccess.Session session) {
    // The stream ends with the session: the page's reconnect is then refused (401).
    Optional<Source<LiveFeed.Published, NotUsed>> snapshots =
        feed.subscribe(
            java.time.Duration.between(java.time.Instant.now(), session.expiresAt()).plusMillis(1));
    if (snapshots.isEmpty()) {
      return complete(
          JsonResponses.error(
              StatusCodes.SERVICE_UNAVAILABLE,
              "too many open dashboard pages",
              Map.of("maxStreams", settings.maxStreams())));
    }
    Source<ServerSentEvent, NotUsed> events =
        Source.lazySingle(() -> ServerSentEvent.create(feed.historyJson(), "history"))
            .concat(snapshots.get().map(p -> ServerSentEvent.create(p.json(), "snapshot")));
    return completeOK(events, EventStreamMarshalling.toEventStream());
  }

  private Route json(LiveFeed.Published published) {
    return complete(
        HttpResponse.create()
            .withEntity(
                ContentTypes.APPLICATION_JSON, published.json().getBytes(StandardCharsets.UTF_8)));
  }

  private Route notFound() {
    return complete(JsonResponses.error(StatusCodes.NOT_FOUND, "not found"));
  }

  private static HttpResponse unauthorized(String problem) {
    return JsonResponses.error(StatusCodes.UNAUTHORIZED, problem);
  }

  private static HttpResponse forbidden(String problem) {
    return JsonResponses.error(StatusCodes.FORBIDDEN, problem);
  }

  private static String resource(String name) {
    try (InputStream in =
        DashboardRoutes.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the master jar: " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
