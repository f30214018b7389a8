package io.icecap.client;

/**
 * Counters of the read cache of table files.
 *
 * @param entries files held
 * @param bytes their size on disk
 * @param hits files a query found in the cache
 * @param misses files a query had to fetch from the warehouse
 * @param evictions files dropped to stay within the byte bound
 * @param localReads files of a local warehouse, read in place without copying
 */
public record CacheStats(
    long entries, long bytes, long hits, long misses, long evictions, long localReads) {}
