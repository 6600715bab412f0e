package io.overseer.master.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Login codes, sessions and the CSRF and Origin checks, on a clock the test moves. */
class DashboardAccessTest {
  private static final DashboardSettings SETTINGS =
      new DashboardSettings(
          Duration.ofSeconds(60),
          3,
          Duration.ofHours(8),
          2,
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          20,
          8,
          50);

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final DashboardAccess access = new DashboardAccess(SETTINGS, clock);

  private DashboardAccess.Session login() {
    return assertInstanceOf(DashboardAccess.LoggedIn.class, access.redeem(access.newCode()))
        .session();
  }

  private String refusal(String code) {
    return assertInstanceOf(DashboardAccess.Refused.class, access.redeem(code)).problem();
  }

  @Test
  void aCodeGivesOneSessionWithItsOwnCsrfTokenAndCannotBeUsedAgain() {
    String code = access.newCode();
    DashboardAccess.Session session =
        assertInstanceOf(DashboardAccess.LoggedIn.class, access.redeem(code)).session();
    assertNotEquals(session.id(), session.csrfToken());
    assertTrue(session.id().length() >= 43, "256 random bits, base64url");
    assertEquals(Optional.of(session), access.session(session.id()));
    assertEquals(now.plus(Duration.ofHours(8)), session.expiresAt());
    assertTrue(refusal(code).startsWith("login code already used"));
  }

  @Test
  void unknownAndExpiredCodesAreRefusedWithTheirReason() {
    assertTrue(refusal("guessed").startsWith("unknown login code"));
    String code = access.newCode();
    now = now.plusSeconds(60);
    assertTrue(refusal(code).startsWith("login code expired"));
    assertTrue(refusal(code).startsWith("login code already used"), "spent even when expired");
  }

  @Test
  void aSessionEndsAtItsExpiryOrWhenEnded() {
    DashboardAccess.Session session = login();
    now = now.plus(Duration.ofHours(8)).minusMillis(1);
    assertTrue(access.session(session.id()).isPresent());
    now = now.plusMillis(1);
    assertTrue(access.session(session.id()).isEmpty());
    DashboardAccess.Session other = login();
    access.end(other.id());
    assertTrue(access.session(other.id()).isEmpty());
  }

  @Test
  void codesAndSessionsAreBoundedOldestFirst() {
    String oldest = access.newCode();
    for (int i = 0; i < 3; i++) {
      access.newCode();
    }
    assertTrue(refusal(oldest).startsWith("unknown login code"), "dropped for a newer code");
    DashboardAccess.Session first = login();
    DashboardAccess.Session second = login();
    DashboardAccess.Session third = login();
    assertTrue(access.session(first.id()).isEmpty(), "max-sessions = 2");
    assertTrue(access.session(second.id()).isPresent());
    assertTrue(access.session(third.id()).isPresent());
  }

  @Test
  void csrfTokenMustMatchExactly() {
    DashboardAccess.Session session = login();
    assertTrue(DashboardAccess.csrfMatches(session, Optional.of(session.csrfToken())));
    assertFalse(DashboardAccess.csrfMatches(session, Optional.empty()));
    assertFalse(DashboardAccess.csrfMatches(session, Optional.of("")));
    assertFalse(DashboardAccess.csrfMatches(session, Optional.of(session.csrfToken() + "x")));
    assertFalse(DashboardAccess.csrfMatches(session, Optional.of(session.id())));
  }

  @Test
  void originMustBeTheHostTheRequestWasSentTo() {
    assertTrue(DashboardAccess.sameOrigin(Optional.of("http://127.0.0.1:8080"), "127.0.0.1:8080"));
    assertTrue(DashboardAccess.sameOrigin(Optional.of("http://LocalHost:8080"), "localhost:8080"));
    assertTrue(DashboardAccess.sameOrigin(Optional.of("http://example.com"), "example.com"));
    assertTrue(DashboardAccess.sameOrigin(Optional.of("https://example.com"), "example.com:443"));
    assertTrue(DashboardAccess.sameOrigin(Optional.of("http://[::1]:8080"), "[::1]:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.empty(), "127.0.0.1:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.of("null"), "127.0.0.1:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.of("http://127.0.0.1:8081"), "127.0.0.1:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.of("http://evil.example"), "127.0.0.1:8080"));
    assertFalse(
        DashboardAccess.sameOrigin(Optional.of("http://127.0.0.1.evil:8080"), "127.0.0.1:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.of("not a url"), "127.0.0.1:8080"));
    assertFalse(DashboardAccess.sameOrigin(Optional.of("http://127.0.0.1:8080"), ""));
  }

  @Test
  void settingsRefuseLimitsThatCannotWork() {
    IllegalArgumentException zero =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                new DashboardSettings(
                    Duration.ZERO,
                    3,
                    Duration.ofHours(8),
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(5),
                    20,
                    8,
                    50));
    assertTrue(zero.getMessage().contains("login-code-ttl"), zero.getMessage());
    assertEquals(300, SETTINGS.historySamples());
  }
}
