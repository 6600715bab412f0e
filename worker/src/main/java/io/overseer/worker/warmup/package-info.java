/**
 * Warm-up before Ready: a new worker drives its own request path in-process (the envelope's
 * decoding, the compute and BFF code, the reply's encoding) until the JIT has compiled it, before
 * it tells the master it is routable, so that its first routed requests do not run interpreted.
 */
package io.overseer.worker.warmup;
