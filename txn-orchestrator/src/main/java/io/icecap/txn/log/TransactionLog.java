package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisKeys;
import io.icecap.catalog.RedisSession;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The transaction logs of one catalog's tables in Redis: one stream per table whose entry ids are
 * the sequence numbers, with the table's leases, applied sequence numbers and results beside it.
 */
public final class TransactionLog implements Closeable {
  private final String catalogName;
  private final RedisSession redis;
  private final RedisKeys keys;

  private TransactionLog(String catalogName, RedisSession redis) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.redis = requireNonNull(redis, "redis is null");
    this.keys = new RedisKeys(catalogName);
  }

  /**
   * Connects to the Redis of a catalog.
   *
   * @param catalogName the catalog's name
   * @param properties the catalog's properties ({@code uri}, {@code redis.*})
   * @param role what the connection is for, shown by {@code CLIENT LIST}
   */
  public static TransactionLog open(
      String catalogName, Map<String, String> properties, String role) {
    return new TransactionLog(
        catalogName, RedisSession.open(catalogName, properties, "icecap-" + role, LogScript.ALL));
  }

  /** The catalog's name. */
  public String catalogName() {
    return catalogName;
  }

  /** Adds a table to the set sweepers look at. */
  public void markActive(TableIdentifier table) {
    String key = keys.activeTables();
    redis.call("mark table " + table + " active", r -> r.sadd(key, RedisKeys.encode(table)));
  }

  /** Removes a table from the set sweepers look at. */
  public void markInactive(TableIdentifier table) {
    String key = keys.activeTables();
    redis.call("mark table " + table + " inactive", r -> r.srem(key, RedisKeys.encode(table)));
  }

  /** The tables that have a transaction log. */
  public List<TableIdentifier> activeTables() {
    String key = keys.activeTables();
    return redis.call("list active tables", r -> r.smembers(key)).stream()
        .map(RedisKeys::decodeTable)
        .toList();
  }

  /** Adds an apply request to the queue worker processes take from. */
  public void enqueue(TableIdentifier table, long sequence) {
    String key = keys.jobQueue();
    redis.call(
        "queue an apply job of " + table,
        r -> r.lpush(key, sequence + ":" + RedisKeys.encode(table)));
  }

  /**
   * Takes the oldest apply request from the queue, waiting up to {@code wait} for one.
   *
   * @return the table and sequence number, or null when none came
   */
  public Map.Entry<TableIdentifier, Long> takeQueued(java.time.Duration wait) {
    String key = keys.jobQueue();
    var popped = redis.call("take an apply job", r -> r.brpop(Math.max(1, wait.toSeconds()), key));
    if (popped == null || !popped.hasValue()) {
      return null;
    }
    String value = popped.getValue();
    int colon = value.indexOf(':');
    return Map.entry(
        RedisKeys.decodeTable(value.substring(colon + 1)),
        Long.parseLong(value.substring(0, colon)));
  }

  /** The log of one table. */
  public TableLog table(TableIdentifier table) {
    return new TableLog(table, redis, keys);
  }

  @Override
  public void close() {
    redis.close();
  }
}
