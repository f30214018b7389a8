package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads from a warehouse on the S3 API: a query on one partition fetches only that partition's file
 * into the read cache, and a second query is served from it.
 */
class ReadPruningIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @TempDir Path home;

  @Test
  void aQueryOnOnePartitionFetchesOnlyItsFile() throws Exception {
    String bucket = "warehouse-" + UUID.randomUUID();
    S3.server().createBucket(bucket);
    IcecapConfig config =
        IcecapConfig.redis(REDIS.server().uri(), "s3://" + bucket + "/lake", home)
            .withWorkers(1)
            .withCatalogProperties(S3.server().fileIoProperties());
    try (IcecapSession session = Icecap.connect(config)) {
      session.execute("CREATE SCHEMA m");
      session.execute(
          "CREATE TABLE m.readings (part INTEGER NOT NULL, sensor BIGINT, value DOUBLE)"
              + " PARTITIONED BY (part)");
      StringBuilder insert = new StringBuilder("INSERT INTO m.readings VALUES ");
      List<String> rows = new ArrayList<>();
      for (int part = 0; part < 64; part++) {
        for (int sensor = 0; sensor < 3; sensor++) {
          rows.add("(" + part + ", " + (part * 10 + sensor) + ", " + (part + sensor / 10.0) + ")");
        }
      }
      insert.append(String.join(", ", rows));
      assertThat(session.execute(insert.toString())).isEqualTo(192);

      CacheStats before = session.cacheStats();
      try (ResultSet result =
          session.query("SELECT count(*), sum(sensor) FROM m.readings WHERE part = ?", 7)) {
        result.next();
        assertThat(result.getLong(1)).isEqualTo(3);
        assertThat(result.getLong(2)).isEqualTo(70 + 71 + 72);
      }
      CacheStats cold = session.cacheStats();
      assertThat(cold.misses() - before.misses()).as("files fetched").isEqualTo(1);
      assertThat(cold.localReads()).isZero();

      try (ResultSet result = session.query("SELECT max(value) FROM m.readings WHERE part = 7")) {
        result.next();
        assertThat(result.getDouble(1)).isEqualTo(7.2);
      }
      CacheStats warm = session.cacheStats();
      assertThat(warm.misses()).isEqualTo(cold.misses());
      assertThat(warm.hits() - cold.hits()).as("served from the cache").isEqualTo(1);

      try (ResultSet result =
          session.query("SELECT count(*) FROM m.readings WHERE part IN (1, 2) AND sensor > 0")) {
        result.next();
        assertThat(result.getLong(1)).isEqualTo(6);
      }
      assertThat(session.cacheStats().misses() - warm.misses()).isEqualTo(2);

      try (ResultSet result = session.query("SELECT count(*) FROM m.readings")) {
        result.next();
        assertThat(result.getLong(1)).isEqualTo(192);
      }
      assertThat(session.cacheStats().misses() - warm.misses()).as("the other 61").isEqualTo(63);
    }
  }
}
