package io.icecap.txn.log;

/**
 * One record of a table's log.
 *
 * @param sequence its sequence number
 * @param record the encoded transaction, as the log holds it; null when the entry has none (the log
 *     is written by whatever can write Redis: a worker decodes and checks the record before using
 *     it)
 * @param appendedAtMillis when Redis appended it, by Redis's clock; 0 when the entry does not say
 */
public record LogEntry(long sequence, String record, long appendedAtMillis) {}
