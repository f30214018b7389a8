package io.icecap.txn.log;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.catalog.RedisKeys;
import io.icecap.catalog.RedisSession;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The transaction logs of one catalog's tables in Redis: one stream per table whose entry ids are
 * the sequence numbers, with the table's leases, applied sequence numbers and results beside it.
 */
public final class TransactionLog implements Closeable {
  /**
   * Catalog property: how long an append whose answer was lost is sent again before its outcome is
   * reported unknown, in milliseconds; from 0 (never) to {@link TableLog#MAX_RESEND_WINDOW},
   * default {@link TableLog#DEFAULT_RESEND_WINDOW}.
   */
  public static final String RESEND_WINDOW_MS = "redis.resend-window-ms";

  private final String catalogName;
  private final RedisSession redis;
  private final RedisKeys keys;
  private final Duration resendWindow;

  private TransactionLog(String catalogName, RedisSession redis, Duration resendWindow) {
    this.catalogName = requireNonNull(catalogName, "catalogName is null");
    this.redis = requireNonNull(redis, "redis is null");
    this.keys = new RedisKeys(catalogName);
    this.resendWindow = requireNonNull(resendWindow, "resendWindow is null");
  }

  /**
   * Connects to the Redis of a catalog.
   *
   * @param catalogName the catalog's name; {@link RedisCatalogProperties#CATALOG_NAME}, when set,
   *     names the catalog in Redis keys instead, as it does for {@code RedisCatalog}
   * @param properties the catalog's properties ({@code uri}, {@code redis.*}, {@code
   *     icecap.catalog-name})
   * @param role what the connection is for, shown by {@code CLIENT LIST}
   * @throws IllegalArgumentException when a property is missing or malformed
   */
  public static TransactionLog open(
      String catalogName, Map<String, String> properties, String role) {
    Duration resendWindow = resendWindow(properties);
    String icecapName = RedisCatalogProperties.catalogName(catalogName, properties);
    return new TransactionLog(
        icecapName,
        RedisSession.open(icecapName, properties, "icecap-" + role, LogScript.ALL),
        resendWindow);
  }

  static Duration resendWindow(Map<String, String> properties) {
    String text = properties.get(RESEND_WINDOW_MS);
    if (text == null) {
      return TableLog.DEFAULT_RESEND_WINDOW;
    }
    long millis;
    try {
      millis = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 0 || millis > TableLog.MAX_RESEND_WINDOW.toMillis()) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid catalog property %s=%s: expected a whole number of milliseconds from 0 to"
                  + " %d (a resent append must arrive while the log remembers its transaction id)",
              RESEND_WINDOW_MS, text, TableLog.MAX_RESEND_WINDOW.toMillis()));
    }
    return Duration.ofMillis(millis);
  }

  /** The catalog's name in Redis keys. */
  public String catalogName() {
    return catalogName;
  }

  /** The Redis server as messages show it: scheme, host, port and database, never credentials. */
  public String server() {
    return redis.server();
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
  public Map.Entry<TableIdentifier, Long> takeQueued(Duration wait) {
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
    return new TableLog(table, redis, keys, resendWindow);
  }

  @Override
  public void close() {
    redis.close();
  }
}
