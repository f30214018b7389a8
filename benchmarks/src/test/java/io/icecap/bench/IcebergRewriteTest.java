package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction benchmark's baseline, the rewrite by hand with the Iceberg Java API, and the
 * digest that checks both sides: rows kept, files of the target size, one commit.
 */
class IcebergRewriteTest {
  @TempDir Path dir;

  private EmbeddedRedis redis;
  private RedisCatalog catalog;

  @BeforeEach
  void start() throws Exception {
    redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")));
    catalog = new RedisCatalog();
    catalog.initialize(
        "bench",
        Map.of(
            RedisCatalogProperties.URI,
            redis.uri(),
            CatalogProperties.WAREHOUSE_LOCATION,
            WorkFiles.create(dir.resolve("warehouse")).toString()));
    catalog.createNamespace(Namespace.of("bench"));
  }

  @AfterEach
  void stop() throws Exception {
    catalog.close();
    redis.close();
  }

  private CompactionOptions options(int appends, int rows, int partitions) {
    return new CompactionOptions(appends, rows, partitions, 1L << 30, 7, dir, null);
  }

  private Table filled(String name, PartitionSpec spec, CompactionOptions options)
      throws Exception {
    return filled(name, spec, options, options.appends());
  }

  private Table filled(String name, PartitionSpec spec, CompactionOptions options, int appends)
      throws Exception {
    Table table =
        catalog
            .buildTable(TableIdentifier.of("bench", name), SmallFiles.SCHEMA)
            .withPartitionSpec(spec)
            .create();
    for (int append = 0; append < appends; append++) {
      SmallFiles.append(table, SmallFiles.rows(options, append), options.partitions());
    }
    return table;
  }

  @Test
  void everyPartitionBecomesOneFileWithTheSameRows() throws Exception {
    CompactionOptions options = options(5, 300, 3);
    Table table = filled("t", SmallFiles.SPEC, options);
    TableDigest before = TableDigest.of(table);
    long snapshots = table.currentSnapshot().sequenceNumber();

    IcebergRewrite.Outcome outcome = IcebergRewrite.run(table, options.targetFileSizeBytes());

    assertThat(outcome.partitions()).isEqualTo(3);
    assertThat(outcome.filesRemoved()).isEqualTo(15);
    assertThat(outcome.filesWritten()).isEqualTo(3);
    assertThat(SmallFiles.liveFiles(table)[0]).isEqualTo(3);
    assertThat(table.currentSnapshot().sequenceNumber()).isEqualTo(snapshots + 1);
    assertThat(TableDigest.of(table)).isEqualTo(before);
    assertThat(before.rows()).isEqualTo(1_500);
  }

  @Test
  void aSmallTargetSizeRollsFiles() throws Exception {
    CompactionOptions options = options(2, 3_000, 1);
    Table table = filled("t", SmallFiles.SPEC, options);
    TableDigest before = TableDigest.of(table);

    IcebergRewrite.Outcome outcome = IcebergRewrite.run(table, 1);

    // the size is checked every 1,000 rows: 6,000 rows make 6 files
    assertThat(outcome.filesWritten()).isEqualTo(6);
    assertThat(TableDigest.of(table)).isEqualTo(before);
  }

  @Test
  void aPartitionOfOneFileIsLeftAlone() throws Exception {
    Table table = filled("t", SmallFiles.SPEC, options(2, 100, 2), 1);
    long snapshot = table.currentSnapshot().snapshotId();

    IcebergRewrite.Outcome outcome = IcebergRewrite.run(table, 1L << 30);

    assertThat(outcome.partitions()).isZero();
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
  }

  @Test
  void aTransformedPartitionIsRefusedBeforeAnythingIsWritten() throws Exception {
    PartitionSpec spec = PartitionSpec.builderFor(SmallFiles.SCHEMA).bucket("part", 2).build();
    Table table = filled("b", spec, options(2, 100, 1));
    long snapshot = table.currentSnapshot().snapshotId();

    assertThatThrownBy(() -> IcebergRewrite.run(table, 1L << 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition field part_bucket is bucket[2]");
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
  }

  @Test
  void theDigestIgnoresOrderButNotValues() {
    List<Record> rows = SmallFiles.rows(options(2, 50, 2), 0);
    TableDigest.Builder forward = new TableDigest.Builder();
    rows.forEach(forward::add);
    List<Record> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    TableDigest.Builder backward = new TableDigest.Builder();
    reversed.forEach(backward::add);
    assertThat(backward.build()).isEqualTo(forward.build());

    Record changed = rows.get(10).copy();
    changed.setField("qty", 1_001);
    TableDigest.Builder other = new TableDigest.Builder();
    rows.stream().map(row -> row == rows.get(10) ? changed : row).forEach(other::add);
    assertThat(other.build().rows()).isEqualTo(50);
    assertThat(other.build()).isNotEqualTo(forward.build());
  }
}
