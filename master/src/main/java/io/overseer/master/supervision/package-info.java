/** The supervisor of worker processes: launch, readiness handshake, restart, stop. */
package io.overseer.master.supervision;
