package io.overseer.master.bff;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * The size and shape limits of {@code overseer.bff.edge}, and the one JSON parser that applies
 * them. Checked before schema validation: a schema validator (or a handler) must never see a
 * document it cannot afford to walk.
 */
public final class BodyLimits {
  /** The configuration section {@link #create(Config)} reads. */
  public static final String SECTION = "overseer.bff.edge";

  private static final int PAYLOAD_TOO_LARGE = 413;
  private static final int URI_TOO_LONG = 414;
  private static final int BAD_REQUEST = 400;

  private final long maxBodySize;
  private final int maxQueryLength;
  private final int maxJsonDepth;
  private final Duration bodyTimeout;
  private final ObjectMapper mapper;

  private BodyLimits(long maxBodySize, int maxQueryLength, int maxJsonDepth, Duration bodyTimeout) {
    this.maxBodySize = maxBodySize;
    this.bodyTimeout = bodyTimeout;
    this.maxQueryLength = maxQueryLength;
    this.maxJsonDepth = maxJsonDepth;
    JsonFactory factory =
        JsonFactory.builder()
            // The streaming parser counts depth as it reads and stops at the limit, before any tree
            // exists: a thousand nested arrays cost a thousand bytes of reading, not a stack
            // overflow.
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxJsonDepth).build())
            // {"qty":1,"qty":-1}: parsers disagree on which one wins, so a validator and a handler
            // could read different values. Refuse the ambiguity instead.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            // "{} junk" is not one JSON document; readTree would silently stop after the "{}".
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /**
   * Reads the limits from the {@code overseer.bff.edge} section (pass the section itself).
   *
   * @throws ConfigException if a key is missing or not a positive size
   */
  public static BodyLimits create(Config overseerBffEdgeSection) {
    Config c = overseerBffEdgeSection;
    long body = positive(c, "max-body-size", c.getBytes("max-body-size"));
    long query = positive(c, "max-query-length", c.getBytes("max-query-length"));
    long depth = positive(c, "max-json-depth", c.getInt("max-json-depth"));
    if (query > Integer.MAX_VALUE) {
      throw new ConfigException.BadValue(c.origin(), "max-query-length", "must be below 2GiB");
    }
    Duration bodyTimeout = c.getDuration("body-timeout");
    if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
      throw new ConfigException.BadValue(
          c.origin(), "body-timeout", "must be positive, got " + bodyTimeout);
    }
    return new BodyLimits(body, (int) query, (int) depth, bodyTimeout);
  }

  /** The defaults of reference.conf, for callers without a configuration at hand. */
  static BodyLimits defaults() {
    return create(ConfigFactory.defaultReference().getConfig(SECTION));
  }

  /** The largest body accepted, in bytes (UTF-8). */
  public long maxBodySize() {
    return maxBodySize;
  }

  /** How long a request body may take to arrive in full. */
  public Duration bodyTimeout() {
    return bodyTimeout;
  }

  /** The longest raw query string accepted, in characters. */
  public int maxQueryLength() {
    return maxQueryLength;
  }

  /** The deepest nesting of arrays and objects accepted. */
  public int maxJsonDepth() {
    return maxJsonDepth;
  }

  /**
   * Parses a request body as exactly one JSON document within the limits.
   *
   * @throws BadBody 413 when larger than {@code max-body-size} bytes (UTF-8); 400 when empty,
   *     malformed, nested deeper than {@code max-json-depth}, or with a key given twice in an
   *     object
   */
  public JsonNode parseBody(String body) throws BadBody {
    if (body.length() > maxBodySize || utf8LengthExceeds(body, maxBodySize)) {
      throw tooLarge();
    }
    if (body.isBlank()) {
      throw new BadBody(BAD_REQUEST, "empty: a JSON document was expected");
    }
    try {
      return mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new BadBody(
          BAD_REQUEST,
          e.getMessage().contains("nesting depth")
              ? "nested deeper than " + maxJsonDepth + " levels (" + SECTION + ".max-json-depth)"
              : "beyond a parser limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new BadBody(
          BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage() + where(e.getLocation()));
    }
  }

  /**
   * Checks a raw query string (the text after {@code ?}, still percent-encoded); null or empty is
   * fine.
   *
   * @throws BadBody 414 when longer than {@code max-query-length}; 400 when a {@code %} is not
   *     followed by two hex digits
   */
  public void checkQuery(String rawQuery) throws BadBody {
    if (rawQuery == null) {
      return;
    }
    if (rawQuery.length() > maxQueryLength) {
      throw new BadBody(
          URI_TOO_LONG,
          FieldError.QUERY,
          "longer than " + maxQueryLength + " characters (" + SECTION + ".max-query-length)");
    }
    for (int i = rawQuery.indexOf('%'); i >= 0; i = rawQuery.indexOf('%', i + 1)) {
      if (i + 2 >= rawQuery.length()
          || !isHex(rawQuery.charAt(i + 1))
          || !isHex(rawQuery.charAt(i + 2))) {
        throw new BadBody(
            BAD_REQUEST,
            FieldError.QUERY,
            "malformed: '%' at index " + i + " is not followed by two hex digits");
      }
    }
  }

  private BadBody tooLarge() {
    return new BadBody(PAYLOAD_TOO_LARGE, tooLargeProblem());
  }

  /** The 413 problem, naming the limit and its key. */
  String tooLargeProblem() {
    return "larger than " + maxBodySize + " bytes (" + SECTION + ".max-body-size)";
  }

  /** Counts UTF-8 bytes without encoding the string, stopping as soon as the limit is passed. */
  private static boolean utf8LengthExceeds(String text, long limit) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // A surrogate pair is 4 bytes: 2 for each half.
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
      if (bytes > limit) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 0
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static long positive(Config c, String key, long value) {
    if (value <= 0) {
      throw new ConfigException.BadValue(c.origin(), key, "must be positive, got " + value);
    }
    return value;
  }
}
