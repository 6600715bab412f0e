/**
 * Choosing a worker per request (the routing strategies), sending it, and matching replies to
 * waiting requests.
 */
package io.overseer.master.routing;
