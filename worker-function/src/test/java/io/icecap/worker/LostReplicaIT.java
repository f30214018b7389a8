package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.catalog.RedisKeys;
import io.icecap.catalog.RedisSession;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.ReplicaEntry;
import io.icecap.txn.validate.ValidationLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB replica that the replica map names but storage no longer holds, or holds damaged, or
 * that is another table's: the partition is built again from its Iceberg files and the next write
 * is applied on it.
 */
class LostReplicaIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()));
  private static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  private static final TableIdentifier OTHER = TableIdentifier.of("db", "other");

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;
  private int workers;

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, false, ValidationLimits.defaults());
    path.create(ITEMS, SCHEMA, PartitionSpec.unpartitioned());
    path.create(OTHER, SCHEMA, PartitionSpec.unpartitioned());
    write(ITEMS, "INSERT INTO items VALUES (1, 'a'), (2, 'b')");
    write(OTHER, "INSERT INTO other VALUES (7, 'other')");
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  /** Submits a write and applies it with a new worker, whose cache is empty. */
  private void write(TableIdentifier table, String sql) {
    path.orchestrator.submit(table, List.of(SqlStatement.of(sql)));
    try (Worker worker = path.worker("w" + ++workers, work, JobHooks.NONE)) {
      assertThat(worker.apply(table)).isFalse();
    }
  }

  private ReplicaEntry entry(TableIdentifier table) {
    return RecordCodec.decode(
        path.logs.table(table).state().replicas().get(""), ReplicaEntry.class, "entry");
  }

  private Path file(TableIdentifier table) {
    return Path.of(entry(table).duckdb().replaceFirst("^file:", ""));
  }

  @Test
  void aReplicaMissingFromStorageIsBuiltAgain() throws Exception {
    Files.delete(file(ITEMS));
    write(ITEMS, "UPDATE items SET name = 'c' WHERE id = 2");
    assertThat(TestingWritePath.rows(path.catalog.loadTable(ITEMS), "id", "name"))
        .containsExactly("1,a", "2,c");
    assertThat(Files.exists(file(ITEMS))).isTrue();
  }

  @Test
  void aDamagedReplicaIsBuiltAgain() throws Exception {
    Files.write(file(ITEMS), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    write(ITEMS, "UPDATE items SET name = 'c' WHERE id = 2");
    assertThat(TestingWritePath.rows(path.catalog.loadTable(ITEMS), "id", "name"))
        .containsExactly("1,a", "2,c");
  }

  @Test
  void anotherTablesReplicaIsNotUsed() throws Exception {
    Files.copy(file(OTHER), file(ITEMS), StandardCopyOption.REPLACE_EXISTING);
    write(ITEMS, "UPDATE items SET name = 'c' WHERE id = 2");
    assertThat(TestingWritePath.rows(path.catalog.loadTable(ITEMS), "id", "name"))
        .containsExactly("1,a", "2,c");
  }

  @Test
  void aReplicaEntryNamingAFileOutsideTheTableIsIgnored() throws Exception {
    ReplicaEntry entry = entry(ITEMS);
    ReplicaEntry elsewhere =
        new ReplicaEntry(
            entry(OTHER).duckdb(),
            entry.sequence(),
            entry.files(),
            entry.schemaId(),
            entry.specId(),
            entry.partition(),
            entry.rows(),
            entry.bytes());
    String key = new RedisKeys(TestingWritePath.CATALOG).tableKey(ITEMS, "replicas");
    try (RedisSession redis =
        RedisSession.open(TestingWritePath.CATALOG, path.properties, "test", List.of())) {
      redis.call("hset", r -> r.hset(key, Map.of("", RecordCodec.encode(elsewhere))));
    }
    write(ITEMS, "UPDATE items SET name = 'c' WHERE id = 2");
    assertThat(TestingWritePath.rows(path.catalog.loadTable(ITEMS), "id", "name"))
        .containsExactly("1,a", "2,c");
  }
}
