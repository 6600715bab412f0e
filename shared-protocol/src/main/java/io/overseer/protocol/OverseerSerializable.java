package io.overseer.protocol;

/**
 * Marker for every message that crosses a JVM boundary. It is bound to Jackson CBOR once, in {@code
 * overseer-cluster-defaults.conf}; nothing in Overseer uses Java serialization.
 */
public interface OverseerSerializable {}
