/**
 * The supervisor of worker processes: launch, readiness handshake, restart, stop; and the
 * supervisor actors themselves supervised (an app's supervisor restarts and re-adopts its processes).
 */
package io.overseer.master.supervision;
