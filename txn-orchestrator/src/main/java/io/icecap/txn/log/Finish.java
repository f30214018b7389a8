package io.icecap.txn.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an apply job publishes in one atomic step with its snapshot: the replica entries of the
 * partitions it wrote (checked against its fencing token) and the results of the records it
 * applied.
 *
 * @param token the job's fencing token, or 0 when it writes no partition
 * @param replicas partition key to replica entry
 * @param results sequence number to encoded result, for every record applied
 */
public record Finish(long token, Map<String, String> replicas, SortedMap<Long, String> results) {
  /** Checks and copies the values. */
  public Finish {
    if (token == 0 && !replicas.isEmpty()) {
      throw new IllegalArgumentException("Writing partitions needs a fencing token");
    }
    replicas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
    results = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(results));
  }
}
