package io.overseer.protocol;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * Stands in for the two JSON serializers pekko-serialization-jackson configures beside the CBOR one
 * Overseer writes everything with ({@code jackson-json}, and {@code jackson-cbor-264}, JSON despite
 * its name). Pekko builds every configured serializer when an actor system starts, and each Jackson
 * one builds an ObjectMapper of its own with every module on the class path: without them a
 * worker's boot took ~0.25 s less CPU, and the first routed 200 and a replacement 12-14 % less of
 * the master's and workers' CPU (BENCHMARKS.md, "Pekko's JSON serializers not built"). Nothing of
 * Overseer's is bound to them, so this one only keeps each binding's identifier taken and refuses
 * loudly if anything ever is: a message is never written in a format nobody reads.
 */
public final class UnusedJsonSerializer extends JSerializer {
  private final String bindingName;
  private final int identifier;

  /** Pekko's constructor for a serializer that wants its binding's name. */
  public UnusedJsonSerializer(ExtendedActorSystem system, String bindingName) {
    this.bindingName = bindingName;
    // Jackson's own identifiers (31, 32), so that the numbers keep their meaning on the wire.
    this.identifier =
        system
            .settings()
            .config()
            .getInt("pekko.actor.serialization-identifiers.\"" + bindingName + "\"");
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object message) {
    throw refusal(message.getClass().getName());
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    throw refusal(manifest == null ? "a message" : manifest.getName());
  }

  private IllegalStateException refusal(String what) {
    return new IllegalStateException(
        what
            + " is bound to Pekko's "
            + bindingName
            + " serializer, which Overseer does not build (every cluster message is CBOR:"
            + " implement io.overseer.protocol.OverseerSerializable); to have it, set"
            + " pekko.actor.serializers."
            + bindingName
            + " = \"org.apache.pekko.serialization.jackson.JacksonJsonSerializer\"");
  }
}
