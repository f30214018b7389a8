package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.ReplicaState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partition cache with real DuckDB replicas: open copies, closed copies and both bounds. */
class PartitionCacheTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @TempDir Path dir;

  @Test
  void anOpenCopyIsServedOpenWithItsRows() throws Exception {
    try (PartitionCache cache = new PartitionCache(dir.resolve("cache"), 1L << 30, 4)) {
      WorkingReplica replica = replica("a", 3);
      cache.putOpen("s3://b/t/a.duckdb", replica);
      assertThat(cache.stats().open()).isEqualTo(1);

      assertThat(cache.takeOpen("s3://b/t/other.duckdb")).isNull();
      WorkingReplica served = cache.takeOpen("s3://b/t/a.duckdb");
      assertThat(served).isSameAs(replica);
      assertThat(count(served)).isEqualTo(3);
      assertThat(cache.stats().hits()).isEqualTo(1);
      assertThat(cache.stats().entries()).isZero();
      PartitionCache.discard(served);
      assertThat(Files.exists(served.file())).isFalse();
    }
  }

  @Test
  void copiesOverTheOpenBoundAreClosedAndStillServed() throws Exception {
    try (PartitionCache cache = new PartitionCache(dir.resolve("cache"), 1L << 30, 1)) {
      cache.putOpen("loc-a", replica("a", 2));
      cache.putOpen("loc-b", replica("b", 5));
      assertThat(cache.stats().entries()).isEqualTo(2);
      assertThat(cache.stats().open()).isEqualTo(1);

      assertThat(cache.takeOpen("loc-a")).as("closed, not open").isNull();
      Path target = dir.resolve("a-again.duckdb");
      assertThat(cache.take("loc-a", target)).isTrue();
      try (DuckDbReplica reopened = DuckDbReplica.open(target);
          Statement sql = reopened.connection().createStatement();
          ResultSet rows = sql.executeQuery("SELECT count(*) FROM rows")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(2);
      }
      // an open copy taken as a file is closed first
      Path b = dir.resolve("b-again.duckdb");
      assertThat(cache.take("loc-b", b)).isTrue();
      assertThat(Files.exists(b)).isTrue();
      assertThat(cache.stats().hits()).isEqualTo(2);
      assertThat(cache.take("loc-b", dir.resolve("none.duckdb"))).isFalse();
      assertThat(cache.stats().misses()).isEqualTo(1);
    }
  }

  @Test
  void theByteBoundEvictsTheLeastRecentlyUsedAndCloseDropsOpenCopies() throws Exception {
    WorkingReplica first = replica("a", 1);
    long size = Files.size(first.file());
    try (PartitionCache cache = new PartitionCache(dir.resolve("cache"), size * 2 + size / 2, 8)) {
      cache.putOpen("loc-a", first);
      cache.putOpen("loc-b", replica("b", 1));
      WorkingReplica third = replica("c", 1);
      cache.putOpen("loc-c", third);
      assertThat(cache.stats().evictions()).isEqualTo(1);
      assertThat(cache.stats().entries()).isEqualTo(2);
      assertThat(Files.exists(first.file())).as("evicted and deleted").isFalse();
      assertThat(cache.takeOpen("loc-a")).isNull();

      cache.close();
      assertThat(cache.stats().entries()).isZero();
      assertThat(Files.exists(third.file())).isFalse();
    }
  }

  private WorkingReplica replica(String name, int rows) throws Exception {
    Path file = dir.resolve(name + ".duckdb");
    DuckDbReplica replica =
        DuckDbReplica.create(
            file, SCHEMA, new ReplicaState("uuid", "db.t", 0, "", null, SCHEMA.schemaId(), 0));
    try (Statement sql = replica.connection().createStatement()) {
      sql.execute("INSERT INTO rows SELECT range FROM range(" + rows + ")");
    }
    replica.checkpoint();
    return WorkingReplica.prepare("", PartitionSpec.unpartitioned(), null, replica, null, 1, dir);
  }

  private static long count(WorkingReplica replica) throws Exception {
    try (Statement sql = replica.connection().createStatement();
        ResultSet rows = sql.executeQuery("SELECT count(*) FROM rows")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
