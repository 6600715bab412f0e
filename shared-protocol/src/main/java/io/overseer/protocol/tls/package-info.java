/**
 * Artery over TLS: the PEM files a node uses, translated into Pekko's keys, and refusals logged.
 */
package io.overseer.protocol.tls;
