/**
 * Logging that every node shares: the request id in the log lines about a request (SLF4J's MDC) and
 * the log format chosen by {@code overseer.logging.format}.
 */
package io.overseer.protocol.logging;
