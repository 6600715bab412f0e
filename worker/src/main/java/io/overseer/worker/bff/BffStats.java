package io.overseer.worker.bff;

/**
 * Counters of one engine since it started, for metrics and for tests that must observe caching and
 * coalescing without timing.
 *
 * @param upstreamRequests HTTP requests sent to upstreams (each retry counts)
 * @param cacheHits upstream calls answered from the cache
 * @param coalesced upstream calls that joined an identical call already in flight
 * @param inFlight distinct GET calls in flight now
 * @param cachedEntries results held in the cache now
 */
public record BffStats(
    long upstreamRequests, long cacheHits, long coalesced, int inFlight, int cachedEntries) {}
