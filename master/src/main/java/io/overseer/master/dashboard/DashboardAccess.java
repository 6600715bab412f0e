package io.overseer.master.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the dashboard without the admin token: one-time login codes (asked for with the
 * token, by {@code overseer dashboard}) are exchanged for a server-side session, named by a random
 * HttpOnly cookie, that carries its own CSRF token. The admin token itself never reaches the
 * browser. Thread-safe: HTTP requests come on any thread; every method is short and in memory.
 */
public final class DashboardAccess {
  /** The session cookie's name; the cookie is HttpOnly, SameSite=Strict, Path=/_admin. */
  public static final String COOKIE = "overseer_session";

  /** The header the page sends its session's CSRF token in, on every call that acts. */
  public static final String CSRF_HEADER = "X-Overseer-Csrf";

  /** 256 bits: codes, session ids and CSRF tokens cannot be guessed. */
  private static final int RANDOM_BYTES = 32;

  /**
   * A logged-in browser.
   *
   * @param csrfToken sent back by the page in {@link #CSRF_HEADER}; a cross-site form cannot read
   *     it
   */
  public record Session(String id, String csrfToken, Instant expiresAt) {}

  /** What a login code gave. */
  public sealed interface Login {}

  /** A new session. */
  public record LoggedIn(Session session) implements Login {}

  /**
   * @param problem why not, for the 401 body: unknown, expired or already used
   */
  public record Refused(String problem) implements Login {}

  private final DashboardSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Unused codes, oldest first, with their expiry. */
  private final LinkedHashMap<String, Instant> codes = new LinkedHashMap<>();

  /** Used codes, for a code's lifetime after their use: a second use is told from a typo. */
  private final LinkedHashMap<String, Instant> usedCodes = new LinkedHashMap<>();

  /** By id, oldest first. */
  private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();

  public DashboardAccess(DashboardSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** A new one-time login code, good for {@code login-code-ttl}. */
  public synchronized String newCode() {
    Instant now = clock.instant();
    dropExpired(now);
    String code = randomToken();
    codes.put(code, now.plus(settings.loginCodeTtl()));
    dropOldest(codes, settings.maxLoginCodes());
    return code;
  }

  /** Exchanges a code for a session; the code is spent whatever happens next. */
  public synchronized Login redeem(String code) {
    Instant now = clock.instant();
    Instant expiry = codes.remove(code);
    if (expiry == null) {
      boolean used = usedCodes.containsKey(code);
      dropExpired(now);
      return new Refused(
          used
              ? "login code already used: run 'overseer dashboard' for a new one"
              : "unknown login code: run 'overseer dashboard' for a new one");
    }
    usedCodes.put(code, now.plus(settings.loginCodeTtl()));
    dropOldest(usedCodes, settings.maxLoginCodes());
    if (!now.isBefore(expiry)) {
      dropExpired(now);
      return new Refused("login code expired: run 'overseer dashboard' for a new one");
    }
    dropExpired(now);
    Session session = new Session(randomToken(), randomToken(), now.plus(settings.sessionTtl()));
    sessions.put(session.id(), session);
    dropOldest(sessions, settings.maxSessions());
    return new LoggedIn(session);
  }

  /** The live session the cookie names, if any. */
  public synchronized Optional<Session> session(String cookie) {
    Instant now = clock.instant();
    Session session = sessions.get(cookie);
    if (session != null && !now.isBefore(session.expiresAt())) {
      sessions.remove(cookie);
      return Optional.empty();
    }
    return Optional.ofNullable(session);
  }

  /** Ends a session (logout). */
  public synchronized void end(String cookie) {
    sessions.remove(cookie);
  }

  /** Whether the header carries the session's CSRF token; compared in constant time. */
  public static boolean csrfMatches(Session session, Optional<String> header) {
    return header
        .map(
            value ->
                MessageDigest.isEqual(
                    value.getBytes(StandardCharsets.UTF_8),
                    session.csrfToken().getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  /**
   * Whether a request's {@code Origin} is the dashboard's own: same host and port as the {@code
   * Host} the browser sent it to. A missing Origin is refused: browsers send it on every POST from
   * a page, so only a non-browser client omits it, and such a client should use the token.
   */
  public static boolean sameOrigin(Optional<String> origin, String host) {
    if (origin.isEmpty() || origin.get().equals("null")) {
      return false;
    }
    try {
      URI uri = new URI(origin.get());
      if (uri.getHost() == null || uri.getScheme() == null) {
        return false;
      }
      int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
      String originHost = uri.getHost().toLowerCase(Locale.ROOT);
      String expected = host.toLowerCase(Locale.ROOT);
      int colon = expected.lastIndexOf(':');
      boolean hasPort = colon > expected.lastIndexOf(']');
      String expectedHost = hasPort ? expected.substring(0, colon) : expected;
      int expectedPort =
          hasPort ? Integer.parseInt(expected.substring(colon + 1)) : defaultPort(uri.getScheme());
      return originHost.equals(expectedHost) && port == expectedPort;
    } catch (java.net.URISyntaxException | NumberFormatException e) {
      return false;
    }
  }

  private static int defaultPort(String scheme) {
    return scheme.equalsIgnoreCase("https") ? 443 : 80;
  }

  private String randomToken() {
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void dropExpired(Instant now) {
    codes.values().removeIf(expiry -> !now.isBefore(expiry));
    usedCodes.values().removeIf(expiry -> !now.isBefore(expiry));
    sessions.values().removeIf(session -> !now.isBefore(session.expiresAt()));
  }

  /** Insertion order is age: the first entries are the oldest. */
  private static void dropOldest(Map<String, ?> map, int max) {
    Iterator<String> oldest = map.keySet().iterator();
    while (map.size() > max && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }
}
