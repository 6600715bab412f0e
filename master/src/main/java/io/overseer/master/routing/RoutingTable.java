package io.overseer.master.routing;

/**
 * What the supervisor tells the router. Changes take effect for the very next request, without
 * waiting for cluster gossip to catch up.
 */
public interface RoutingTable {
  /** The worker finished its readiness handshake. */
  void online(RoutableWorker worker);

  /** The worker must get no more requests; requests in flight on it fail at once. */
  void offline(String workerId, String reason);
}
