package io.overseer.master.supervision;

/**
 * The outcome of an admin operation on an app (reload, restart, scale). Serializable: an agent's
 * supervisor answers the master's desk with it across JVMs.
 */
public record OpResult(Status status, String message)
    implements io.overseer.protocol.OverseerSerializable {
  public enum Status {
    OK,
    FAILED,
    UNKNOWN_APP,
    /** No instance has that id ({@code web-0}, {@code web-0@h2}). */
    UNKNOWN_PROCESS,
    BAD_REQUEST
  }

  static OpResult ok(String message) {
    return new OpResult(Status.OK, message);
  }

  static OpResult failed(String message) {
    return new OpResult(Status.FAILED, message);
  }
}
