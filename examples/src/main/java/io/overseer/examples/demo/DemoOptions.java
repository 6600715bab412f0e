package io.overseer.examples.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How the demo backend runs: the {@code overseer.demo-backend} section of the configuration, each
 * key overridable by the command-line flag of the same name.
 *
 * @param host the address to bind
 * @param port the port to bind, 0 for any free one
 * @param threads handler threads of the HTTP server
 * @param reviewsDelay how long {@code GET /reviews} waits before answering
 * @param flakyEvery {@code GET /flaky/...} fails every Nth request; 0 never
 * @param stopGrace on close, how long requests in flight may take to finish
 */
public record DemoOptions(
    String host, int port, int threads, Duration reviewsDelay, int flakyEvery, Duration stopGrace) {

  private static final List<String> FLAGS =
      List.of("--host", "--port", "--threads", "--reviews-delay", "--flaky-every", "--stop-grace");

  /** Thrown for a command line that cannot be used; the message names the problem. */
  public static final class BadArguments extends RuntimeException {
    BadArguments(String message) {
      super(message);
    }
  }

  /** Checks the ranges, so that a bad flag fails at start with its name. */
  public DemoOptions {
    if (port < 0 || port > 65_535) {
      throw new BadArguments("port must be 0..65535, got: " + port);
    }
    if (threads < 1) {
      throw new BadArguments("threads must be 1 or more, got: " + threads);
    }
    if (flakyEvery < 0) {
      throw new BadArguments("flaky-every must be 0 or more, got: " + flakyEvery);
    }
    if (reviewsDelay.isNegative() || stopGrace.isNegative()) {
      throw new BadArguments("durations must not be negative");
    }
  }

  /**
   * The defaults: {@code overseer.demo-backend} of reference.conf, as overridden by -D properties.
   */
  public static DemoOptions defaults() {
    return fromConfig(ConfigFactory.load().getConfig("overseer.demo-backend"));
  }

  static DemoOptions fromConfig(Config c) {
    return new DemoOptions(
        c.getString("host"),
        c.getInt("port"),
        c.getInt("threads"),
        c.getDuration("reviews-delay"),
        c.getInt("flaky-every"),
        c.getDuration("stop-grace"));
  }

  /** The same options listening elsewhere. */
  public DemoOptions withAddress(String newHost, int newPort) {
    return new DemoOptions(newHost, newPort, threads, reviewsDelay, flakyEvery, stopGrace);
  }

  /** The same options with another delay for {@code GET /reviews}. */
  public DemoOptions withReviewsDelay(Duration delay) {
    return new DemoOptions(host, port, threads, delay, flakyEvery, stopGrace);
  }

  /** The same options failing every {@code every}th {@code /flaky} request (0: never). */
  public DemoOptions withFlakyEvery(int every) {
    return new DemoOptions(host, port, threads, reviewsDelay, every, stopGrace);
  }

  /** The same options with another number of handler threads. */
  public DemoOptions withThreads(int count) {
    return new DemoOptions(host, port, count, reviewsDelay, flakyEvery, stopGrace);
  }

  /** The same options with another time for requests in flight at a stop. */
  public DemoOptions withStopGrace(Duration grace) {
    return new DemoOptions(host, port, threads, reviewsDelay, flakyEvery, grace);
  }

  /** True when the command line asks for the usage text. */
  static boolean wantsHelp(String[] argv) {
    return Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h");
  }

  /** These defaults with the command line's flags applied. */
  DemoOptions parse(String[] argv) {
    List<String> args = Arrays.asList(argv);
    DemoOptions options = this;
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (!FLAGS.contains(flag)) {
        throw new BadArguments("unknown argument: " + flag);
      }
      String value = valueOf(args, ++i, flag);
      options =
          switch (flag) {
            case "--host" -> options.withAddress(value, options.port);
            case "--port" -> options.withAddress(options.host, intOf(flag, value));
            case "--threads" -> options.withThreads(intOf(flag, value));
            case "--reviews-delay" -> options.withReviewsDelay(durationOf(flag, value));
            case "--flaky-every" -> options.withFlakyEvery(intOf(flag, value));
            case "--stop-grace" -> options.withStopGrace(durationOf(flag, value));
            default -> throw new BadArguments("unknown argument: " + flag);
          };
    }
    return options;
  }

  /** The {@code --help} text, showing these options as the defaults. */
  String usage() {
    return String.join(
        "\n",
        "usage: java -jar overseer-examples.jar [flags]",
        "",
        "A deliberately awkward JSON backend for the BFF demo (ids 1.."
            + DemoCatalog.LAST_ID
            + "):",
        "  GET /products/{id}        nested {\"data\":{\"attributes\":...}}, nulls, prices as strings",
        "  GET /inventory/{id}       {\"sku\":..,\"stock\":{\"available\":\"5\",\"reserved\":null}}",
        "  GET /reviews?product={id} a list with null ratings, answered after --reviews-delay",
        "  GET /sellers/{id}         the seller a product references",
        "  GET /flaky/<path>         <path>'s answer, but every Nth request is a 500",
        "Unknown id: 404; malformed path or parameter: 400; all errors are JSON.",
        "",
        "flags (defaults from overseer.demo-backend in reference.conf):",
        "  --host H             address to bind (" + host + ")",
        "  --port P             port to bind, 0 for any free one (" + port + ")",
        "  --threads N          handler threads (" + threads + ")",
        "  --reviews-delay D    delay of GET /reviews, e.g. 300ms or 2s ("
            + reviewsDelay.toMillis()
            + "ms)",
        "  --flaky-every N      GET /flaky/... fails every Nth request, 0 never ("
            + flakyEvery
            + ")",
        "  --stop-grace D       time for requests in flight at SIGTERM ("
            + stopGrace.toMillis()
            + "ms)",
        "  --help               this text");
  }

  private static String valueOf(List<String> args, int index, String flag) {
    if (index >= args.size()) {
      throw new BadArguments(flag + " needs a value");
    }
    return args.get(index);
  }

  private static int intOf(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadArguments(flag + " must be a whole number, got: " + value);
    }
  }

  /**
   * HOCON's duration syntax, as in reference.conf: "300ms", "2s"; a bare number is milliseconds.
   */
  private static Duration durationOf(String flag, String value) {
    try {
      return ConfigFactory.empty()
          .withValue("d", ConfigValueFactory.fromAnyRef(value))
          .getDuration("d");
    } catch (ConfigException e) {
      throw new BadArguments(flag + " must be a duration such as 300ms or 2s, got: " + value);
    }
  }
}
