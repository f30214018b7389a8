package io.icecap.client;

import io.icecap.txn.log.TransactionLog;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An HTTP endpoint a Prometheus server scrapes ({@code GET /metrics}): the read cache's counters
 * and the transaction logs' lag, read when scraped. It serves the process's sessions of one
 * configuration; close it before their last session.
 *
 * <ul>
 *   <li>{@code icecap_read_cache_entries}, {@code _bytes}, {@code _max_bytes} (gauges)
 *   <li>{@code icecap_read_cache_hits_total}, {@code _misses_total}, {@code _evictions_total},
 *       {@code _local_reads_total} (counters)
 *   <li>{@code icecap_log_pending_transactions{table}} and {@code
 *       icecap_log_oldest_pending_seconds{table}} for the tables with writes not yet in a snapshot
 *   <li>{@code icecap_log_aborted_transactions_total{table}}: acknowledged writes aborted when
 *       applied (counter)
 *   <li>for each table with a transaction log: {@code icecap_table_data_files{table}}, {@code
 *       icecap_table_delete_files{table}} and {@code icecap_table_bytes{table}} of its current
 *       snapshot, {@code icecap_table_snapshots{table}} in its metadata, {@code
 *       icecap_table_maintenance_age_seconds{table}} since maintenance last ended on it (absent
 *       when it never ran), {@code icecap_table_maintenance_removed_bytes_total{table}} (counter)
 *       and {@code icecap_table_maintenance_failed{table}}, 1 when the last run failed
 * </ul>
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts serving on a port of all interfaces (0 picks a free one).
   *
   * @throws IcecapException with {@link ErrorCode#INVALID_CONFIGURATION} for a port out of range or
   *     in use
   */
  public static MetricsEndpoint start(IcecapSession session, int port) {
    if (port < 0 || port > 65535) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION,
          "The metrics port must be from 0 to 65535 (0 picks a free one): %d",
          port);
    }
    Environment environment = session.environment();
    PrometheusRegistry registry = new PrometheusRegistry();
    ReadCache cache = environment.cache;
    gauge(
        registry,
        "icecap_read_cache_entries",
        "Table files in the read cache",
        cache,
        CacheStats::entries);
    gauge(
        registry,
        "icecap_read_cache_bytes",
        "Bytes of table files in the read cache",
        cache,
        CacheStats::bytes);
    GaugeWithCallback.builder()
        .name("icecap_read_cache_max_bytes")
        .help("The read cache's bound")
        .callback(callback -> callback.call(cache.maxBytes))
        .register(registry);
    counter(
        registry,
        "icecap_read_cache_hits",
        "Table files a query found in the cache",
        cache,
        CacheStats::hits);
    counter(
        registry,
        "icecap_read_cache_misses",
        "Table files a query fetched",
        cache,
        CacheStats::misses);
    counter(
        registry,
        "icecap_read_cache_evictions",
        "Table files evicted to stay in bounds",
        cache,
        CacheStats::evictions);
    counter(
        registry,
        "icecap_read_cache_local_reads",
        "Table files of a local warehouse read in place",
        cache,
        CacheStats::localReads);
    TransactionLog logs = environment.logs;
    GaugeWithCallback.builder()
        .name("icecap_log_pending_transactions")
        .help("Acknowledged transactions not yet in a snapshot")
        .labelNames("table")
        .callback(
            callback -> {
              for (LogStatus status : pending(logs)) {
                callback.call(status.pending(), status.table());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("icecap_log_oldest_pending_seconds")
        .help("How long the oldest acknowledged transaction not in a snapshot has waited")
        .labelNames("table")
        .callback(
            callback -> {
              for (LogStatus status : pending(logs)) {
                callback.call(status.oldestPendingMillis() / 1000.0, status.table());
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("icecap_log_aborted_transactions")
        .help(
            "Acknowledged transactions aborted when applied: refused by the workers' checks of the"
                + " log, or failed on their values")
        .labelNames("table")
        .callback(
            callback -> {
              for (LogStatus status : pending(logs)) {
                callback.call(status.aborted(), status.table());
              }
            })
        .register(registry);
    tableMetrics(registry, new TableMetrics(logs, environment.tables));
    try {
      return new MetricsEndpoint(
          HTTPServer.builder().port(port).registry(registry).buildAndStart());
    } catch (BindException e) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION,
          e,
          "Cannot serve metrics on port %d: it is in use; pick another port, or 0 for a free one",
          port);
    } catch (IOException e) {
      throw new IcecapException(
          ErrorCode.INVALID_CONFIGURATION,
          e,
          "Cannot serve metrics on port %d: %s",
          port,
          e.getMessage());
    }
  }

  /** The port it serves on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void tableMetrics(PrometheusRegistry registry, TableMetrics tables) {
    tableGauge(
        registry,
        tables,
        "icecap_table_data_files",
        "Data files of the table's current snapshot",
        TableMetrics.Stats::dataFiles);
    tableGauge(
        registry,
        tables,
        "icecap_table_delete_files",
        "Delete files of the table's current snapshot",
        TableMetrics.Stats::deleteFiles);
    tableGauge(
        registry,
        tables,
        "icecap_table_bytes",
        "Bytes of the files of the table's current snapshot",
        TableMetrics.Stats::bytes);
    tableGauge(
        registry,
        tables,
        "icecap_table_snapshots",
        "Snapshots in the table's metadata",
        TableMetrics.Stats::snapshots);
    GaugeWithCallback.builder()
        .name("icecap_table_maintenance_age_seconds")
        .help("Seconds since maintenance last ended on the table")
        .labelNames("table")
        .callback(
            callback -> {
              for (TableMetrics.Stats stats : tables.read()) {
                stats
                    .sinceMaintenance()
                    .ifPresent(seconds -> callback.call(seconds, stats.table()));
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("icecap_table_maintenance_removed_bytes")
        .help("Bytes maintenance removed from the table's storage in total")
        .labelNames("table")
        .callback(
            callback -> {
              for (TableMetrics.Stats stats : tables.read()) {
                callback.call(stats.bytesRemoved(), stats.table());
              }
            })
        .register(registry);
    tableGauge(
        registry,
        tables,
        "icecap_table_maintenance_failed",
        "1 when the table's last maintenance run failed, else 0",
        stats -> stats.maintenanceFailed() ? 1 : 0);
  }

  private static void tableGauge(
      PrometheusRegistry registry,
      TableMetrics tables,
      String name,
      String help,
      ToLongFunction<TableMetrics.Stats> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("table")
        .callback(
            callback -> {
              for (TableMetrics.Stats stats : tables.read()) {
                callback.call(value.applyAsLong(stats), stats.table());
              }
            })
        .register(registry);
  }

  private static List<LogStatus> pending(TransactionLog logs) {
    return logs.activeTables().stream()
        .map(table -> status(logs, table))
        .filter(status -> status != null)
        .toList();
  }

  private static LogStatus status(TransactionLog logs, TableIdentifier table) {
    try {
      return LogStatuses.read(logs.table(table), table, 0);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void gauge(
      PrometheusRegistry registry,
      String name,
      String help,
      ReadCache cache,
      ToLongFunction<CacheStats> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.applyAsLong(cache.stats())))
        .register(registry);
  }

  private static void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      ReadCache cache,
      ToLongFunction<CacheStats> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(callback -> callback.call(value.applyAsLong(cache.stats())))
        .register(registry);
  }
}
