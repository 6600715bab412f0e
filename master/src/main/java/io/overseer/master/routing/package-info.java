/** Choosing a worker per request, sending it, and matching replies to waiting requests. */
package io.overseer.master.routing;
