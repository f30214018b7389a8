package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint serves the read cache's counters and the logs' lag, scraped over HTTP.
 */
class MetricsEndpointIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;

  @Test
  void aScrapeShowsCacheCountersAndPendingWrites() throws Exception {
    IcecapConfig queued =
        IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home.resolve("client"))
            .withWorkers(0);
    try (IcecapSession session = Icecap.connect(queued);
        MetricsEndpoint metrics = MetricsEndpoint.start(session, 0)) {
      session.execute("CREATE SCHEMA m");
      session.execute("CREATE TABLE m.t (x INTEGER)");
      session.executeAsync("INSERT INTO m.t VALUES (1)");
      String text = scrape(metrics.port());
      assertThat(text)
          .contains("# TYPE icecap_read_cache_hits_total counter")
          .contains("icecap_read_cache_misses_total 0.0")
          .contains("icecap_read_cache_max_bytes " + (double) queued.cacheBytes())
          .contains("icecap_log_pending_transactions{table=\"m.t\"} 1.0")
          .containsPattern("icecap_log_oldest_pending_seconds\\{table=\"m.t\"} [0-9.]+");

      assertThatThrownBy(() -> MetricsEndpoint.start(session, metrics.port()))
          .isInstanceOfSatisfying(
              IcecapException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                assertThat(e.getMessage()).contains("in use");
              });
      assertThatThrownBy(() -> MetricsEndpoint.start(session, 70000))
          .isInstanceOf(IcecapException.class)
          .hasMessageContaining("from 0 to 65535");
    }

    IcecapConfig applying =
        IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home.resolve("worker"))
            .withWorkers(1);
    try (IcecapSession session = Icecap.connect(applying.withConsistency(Consistency.LATEST));
        MetricsEndpoint metrics = MetricsEndpoint.start(session, 0)) {
      try (ResultSet rows = session.query("SELECT count(*) FROM m.t")) {
        rows.next();
        assertThat(rows.getLong(1)).as("the queued write, applied by this worker").isEqualTo(1);
      }
      assertThat(scrape(metrics.port()))
          .contains("icecap_log_aborted_transactions_total{table=\"m.t\"} 0.0");
      // fails on its value when applied: aborted, and counted
      assertThatThrownBy(() -> session.execute("UPDATE m.t SET x = CAST('x' || x AS INTEGER)"))
          .isInstanceOfSatisfying(
              IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITE_ABORTED));
      String text = scrape(metrics.port());
      assertThat(text)
          .contains("icecap_read_cache_local_reads_total 1.0")
          .contains("icecap_log_aborted_transactions_total{table=\"m.t\"} 1.0")
          .doesNotContain("icecap_log_pending_transactions{table=\"m.t\"} 1.0");
    }
  }

  @Test
  void aScrapeShowsEachTablesFilesSnapshotsAndMaintenance() throws Exception {
    IcecapConfig config =
        IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home.resolve("tables"))
            .withWorkers(1);
    try (IcecapSession session = Icecap.connect(config);
        MetricsEndpoint metrics = MetricsEndpoint.start(session, 0)) {
      session.execute("CREATE SCHEMA s");
      session.execute("CREATE TABLE s.t (x INTEGER)");
      // a name a label value must escape: a quote and a backslash
      session.execute("CREATE TABLE s.\"we\"\"ird\\\" (x INTEGER)");
      session.execute("INSERT INTO s.t VALUES (1), (2)");
      session.execute("INSERT INTO s.t VALUES (3)");
      session.execute("INSERT INTO s.\"we\"\"ird\\\" VALUES (1)");
      org.apache.iceberg.Table table = session.table("s.t");
      java.util.Map<String, String> summary = table.currentSnapshot().summary();
      long bytes = Long.parseLong(summary.get("total-files-size"));
      long files = Long.parseLong(summary.get("total-data-files"));
      assertThat(files).isPositive();
      long snapshots =
          java.util.stream.StreamSupport.stream(table.snapshots().spliterator(), false).count();
      assertThat(snapshots).as("a snapshot per applied insert at least").isGreaterThanOrEqualTo(2);
      String text = scrape(metrics.port());
      assertThat(text)
          .contains("icecap_table_data_files{table=\"s.t\"} " + (double) files)
          .contains("icecap_table_delete_files{table=\"s.t\"} 0.0")
          .contains("icecap_table_bytes{table=\"s.t\"} " + (double) bytes)
          .contains("icecap_table_snapshots{table=\"s.t\"} " + (double) snapshots)
          .contains("icecap_table_maintenance_removed_bytes_total{table=\"s.t\"} 0.0")
          .contains("icecap_table_maintenance_failed{table=\"s.t\"} 0.0")
          .doesNotContain("icecap_table_maintenance_age_seconds{table=\"s.t\"}")
          .contains("icecap_table_data_files{table=\"s.we\\\"ird\\\\\"} 1.0");

      session
          .environment()
          .logs
          .table(org.apache.iceberg.catalog.TableIdentifier.of("s", "t"))
          .recordMaintenance("w", java.util.List.of("expire"), 4, 4096, "bucket gone");
      // the figures are read at most once a second
      Thread.sleep(1100);
      assertThat(scrape(metrics.port()))
          .contains("icecap_table_maintenance_removed_bytes_total{table=\"s.t\"} 4096.0")
          .contains("icecap_table_maintenance_failed{table=\"s.t\"} 1.0")
          .containsPattern("icecap_table_maintenance_age_seconds\\{table=\"s.t\"} [0-9.]+");
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
