package io.overseer.master.e2e;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The cases of {@link ControlBadInputIT}: the admin API's, the configuration's and the CLI's, each
 * with what a right refusal looks like. Kept apart from the test so each table reads as a table.
 */
final class ControlBadInputCases {
  private ControlBadInputCases() {}

  // ---- the admin API -------------------------------------------------------------------------

  private static final String SCALE = "/_admin/apps/web/scale";
  private static final String MEGABYTE =
      "{\"instances\": 1, \"pad\": \"" + "x".repeat(1 << 20) + "\"}";

  /**
   * description, method, path, authorization ("TOKEN" for the right one, null for none), body,
   * status.
   */
  static Stream<Arguments> admin() {
    return Stream.of(
        Arguments.of("no token", "GET", "/_admin/workers", null, null, 401),
        Arguments.of("wrong token", "GET", "/_admin/workers", "Bearer not-the-token", null, 401),
        Arguments.of(
            "token in the query string", "GET", "/_admin/workers?token=TOKEN", null, null, 401),
        Arguments.of("empty bearer token", "GET", "/_admin/apps", "Bearer ", null, 401),
        Arguments.of("token as Basic credentials", "GET", "/_admin/apps", "Basic TOKEN", null, 401),
        Arguments.of("no token on scale", "POST", SCALE, null, "{\"instances\": 1}", 401),
        Arguments.of("malformed JSON", "POST", SCALE, "TOKEN", "{\"instances\":", 400),
        Arguments.of("empty body", "POST", SCALE, "TOKEN", "", 400),
        Arguments.of("JSON null", "POST", SCALE, "TOKEN", "null", 400),
        Arguments.of("an array", "POST", SCALE, "TOKEN", "[2]", 400),
        Arguments.of("instances -1", "POST", SCALE, "TOKEN", "{\"instances\": -1}", 400),
        Arguments.of("instances 10^9", "POST", SCALE, "TOKEN", "{\"instances\": 1000000000}", 400),
        Arguments.of("instances 100000", "POST", SCALE, "TOKEN", "{\"instances\": 100000}", 400),
        Arguments.of(
            "instances beyond 64 bits",
            "POST",
            SCALE,
            "TOKEN",
            "{\"instances\": 99999999999999999999}",
            400),
        Arguments.of("instances a string", "POST", SCALE, "TOKEN", "{\"instances\": \"3\"}", 400),
        Arguments.of("instances a float", "POST", SCALE, "TOKEN", "{\"instances\": 1.5}", 400),
        Arguments.of(
            "instances in exponent form", "POST", SCALE, "TOKEN", "{\"instances\": 1e2}", 400),
        Arguments.of("missing field", "POST", SCALE, "TOKEN", "{}", 400),
        Arguments.of(
            "extra field", "POST", SCALE, "TOKEN", "{\"instances\": 2, \"force\": true}", 400),
        Arguments.of(
            "duplicate field", "POST", SCALE, "TOKEN", "{\"instances\": 2, \"instances\": 3}", 400),
        Arguments.of("1 MB body", "POST", SCALE, "TOKEN", MEGABYTE, 413),
        Arguments.of(
            "unknown app", "POST", "/_admin/apps/nope/scale", "TOKEN", "{\"instances\": 1}", 404),
        Arguments.of(
            "reload of an unknown app", "POST", "/_admin/apps/nope/reload", "TOKEN", null, 404),
        Arguments.of(
            "unknown worker",
            "POST",
            "/_admin/workers/nope-7/weight",
            "TOKEN",
            "{\"weight\": 2}",
            404),
        Arguments.of(
            "weight 0", "POST", "/_admin/workers/web-0/weight", "TOKEN", "{\"weight\": 0}", 400),
        Arguments.of(
            "weight 2^31",
            "POST",
            "/_admin/workers/web-0/weight",
            "TOKEN",
            "{\"weight\": 2147483648}",
            400),
        Arguments.of(
            "restart of an unknown process",
            "POST",
            "/_admin/workers/nope-7/restart",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "stop of a process of no agent",
            "POST",
            "/_admin/workers/web-0@h9/stop",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "start of an instance scaled away",
            "POST",
            "/_admin/workers/web-9/start",
            "TOKEN",
            null,
            404),
        Arguments.of(
            "stop of a spare's id", "POST", "/_admin/workers/web-spare-0/stop", "TOKEN", null, 400),
        Arguments.of("no token on stop", "POST", "/_admin/workers/web-0/stop", null, null, 401),
        Arguments.of(
            "wrong method on stop", "GET", "/_admin/workers/web-0/stop", "TOKEN", null, 405),
        Arguments.of("logs: lines not a number", "GET", "/_admin/logs?lines=x", "TOKEN", null, 400),
        Arguments.of("logs: lines negative", "GET", "/_admin/logs?lines=-1", "TOKEN", null, 400),
        Arguments.of(
            "logs: lines beyond 32 bits",
            "GET",
            "/_admin/logs?lines=99999999999",
            "TOKEN",
            null,
            400),
        Arguments.of(
            "logs: a cursor that is not HOST:TIME:SEEN",
            "GET",
            "/_admin/logs?after=h2",
            "TOKEN",
            null,
            400),
        Arguments.of("logs: an unknown app", "GET", "/_admin/logs?app=nope", "TOKEN", null, 404),
        Arguments.of("logs: no token", "GET", "/_admin/logs", null, null, 401),
        Arguments.of("wrong method on scale", "GET", SCALE, "TOKEN", null, 405),
        Arguments.of("wrong method on workers", "DELETE", "/_admin/workers", "TOKEN", null, 405),
        Arguments.of("unknown admin path", "GET", "/_admin/nope", "TOKEN", null, 404),
        Arguments.of(
            "fault injection without its test key",
            "POST",
            "/_admin/debug/fail/supervisor",
            "TOKEN",
            null,
            404));
  }

  // ---- configuration files -------------------------------------------------------------------

  /** description, the config text (PORT, JAR: substituted), what the message must name. */
  static Stream<Arguments> config() {
    return Stream.of(
        Arguments.of("unknown key", "overseer.colour = red", "overseer.colour"),
        Arguments.of(
            "misspelt key in an app",
            "overseer.apps.web.instanses = 3",
            "overseer.apps.web.instanses"),
        Arguments.of(
            "misspelt nested key",
            "overseer.apps.web.restart.backof.initial = 1s",
            "overseer.apps.web.restart.backof"),
        Arguments.of(
            "misspelt BFF route key",
            "overseer.bff.routes.r { path = \"/x\", methd = GET }",
            "overseer.bff.routes.r.methd"),
        Arguments.of("wrong type", "overseer.apps.web.instances = three", "instances"),
        Arguments.of("wrong duration", "overseer.http.shutdown-drain = soon", "shutdown-drain"),
        Arguments.of(
            "instances above max-instances", "overseer.apps.web.instances = 100", "max-instances"),
        Arguments.of(
            "missing worker jar",
            "overseer.apps.web.jar = \"no-such-worker.jar\"",
            "no-such-worker.jar"),
        Arguments.of(
            "schedule with a five-field cron",
            "overseer { jobs.j {}, schedules.s { cron = \"0 * * * *\", job = j } }",
            "overseer.schedules.s.cron"),
        Arguments.of(
            "schedule in an unknown zone",
            "overseer { jobs.j {}, schedules.s { cron = \"0 * * * * *\", job = j,"
                + " time-zone = Mars } }",
            "overseer.schedules.s.time-zone"),
        Arguments.of(
            "schedule of an unknown job",
            "overseer.schedules.s { cron = \"0 * * * * *\", job = nope }",
            "overseer.schedules.s.job"),
        Arguments.of(
            "log format neither text nor json",
            "overseer.logging.format = xml",
            "overseer.logging.format"),
        Arguments.of(
            "request id limit below 1",
            "overseer.http.request-id-max-length = 0",
            "overseer.http.request-id-max-length"),
        Arguments.of("taken HTTP port", "TAKEN", "overseer.http.port"),
        Arguments.of("unparsable HOCON", "overseer { apps {", "overseer.conf"),
        Arguments.of("missing config file", "MISSING", "missing.conf"));
  }

  // ---- the CLI -------------------------------------------------------------------------------

  /** description, argv, expected exit code, what the message must contain. */
  static Stream<Arguments> cli() {
    return Stream.of(
        Arguments.of("unknown command", new String[] {"frobnicate"}, 2, "unknown command"),
        Arguments.of(
            "scale web -1", new String[] {"scale", "web", "-1"}, 2, "non-negative integer"),
        Arguments.of(
            "scale web abc", new String[] {"scale", "web", "abc"}, 2, "non-negative integer"),
        Arguments.of(
            "scale web 100000", new String[] {"scale", "web", "100000"}, 1, "max-instances"),
        Arguments.of("scale without arguments", new String[] {"scale"}, 2, "usage"),
        Arguments.of("scale without N", new String[] {"scale", "web"}, 2, "usage"),
        Arguments.of(
            "scale of an unknown app", new String[] {"scale", "nope", "1"}, 5, "unknown app"),
        Arguments.of(
            "restart of an unknown app", new String[] {"restart", "nope"}, 5, "unknown app"),
        Arguments.of("logs nope", new String[] {"logs", "nope"}, 5, "unknown app"),
        Arguments.of("logs nope -f", new String[] {"logs", "nope", "-f"}, 5, "unknown app"),
        Arguments.of("logs -n x", new String[] {"logs", "-n", "x"}, 2, "non-negative integer"),
        Arguments.of("unknown option", new String[] {"status", "--bogus"}, 2, "unknown option"));
  }
}
