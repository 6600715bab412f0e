package io.overseer.worker.bff;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads and writes JSON under the engine's limits. The nesting limit is enforced by Jackson's
 * parser while it reads, so a hostile document is refused before a deep tree exists (and before
 * anything recurses over it).
 */
final class JsonCodec {
  private final ObjectMapper mapper;

  JsonCodec(int maxDepth) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
            .build();
    // Trailing garbage after the first value means the upstream is not sending what it claims.
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** Parses an upstream's body, failing with {@code malformed JSON} or {@code JSON too deep}. */
  JsonNode parseUpstream(String upstream, byte[] body) {
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw UpstreamFailure.malformed(upstream);
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw e.getMessage().contains("nesting depth")
          ? UpstreamFailure.tooDeep(upstream)
          : UpstreamFailure.malformed(upstream);
    } catch (IOException e) {
      throw UpstreamFailure.malformed(upstream);
    }
  }

  /** The request body as JSON when it is JSON within the limits, else {@code null}. */
  JsonNode parseOrNull(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // A JsonNode tree always serializes; this would be a Jackson bug, not bad data.
      throw new UncheckedIOException(e);
    }
  }
}
