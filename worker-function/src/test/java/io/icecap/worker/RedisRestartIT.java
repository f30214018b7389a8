package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.Sweeper;
import io.icecap.txn.validate.ValidationLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis, with an append-only file synced on every write, is killed with SIGKILL and restarted in
 * the middle of a workload: every acknowledged write is applied exactly once.
 */
class RedisRestartIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  private static final TableIdentifier T = TableIdentifier.of("db", "t");

  @TempDir Path warehouse;
  @TempDir Path work;

  @Test
  void noAcknowledgedWriteIsLostOrDoubled() throws Exception {
    TestingWritePath path =
        TestingWritePath.start(REDIS, warehouse, work, true, ValidationLimits.defaults());
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "part", Types.IntegerType.get()));
    Table table = path.create(T, schema, PartitionSpec.builderFor(schema).identity("part").build());
    Orchestrator orchestrator = path.orchestrator;
    Sweeper sweeper =
        new Sweeper(path.logs, path.invoker, Duration.ofMillis(200), Duration.ofMillis(200));
    try {
      List<CommitToken> acknowledged = new ArrayList<>();
      Map<Long, Long> idOf = new HashMap<>();
      int failures = 0;
      for (long id = 1; id <= 300; id++) {
        if (id == 150) {
          REDIS.server().kill();
          REDIS.server().restart();
        }
        try {
          CommitToken token =
              orchestrator.submit(
                  T, List.of(SqlStatement.of("INSERT INTO t VALUES (?, ?)", id, (int) (id % 4))));
          acknowledged.add(token);
          idOf.put(token.sequence(), id);
        } catch (RuntimeException e) {
          // not acknowledged: the client would retry it as a new write
          failures++;
        }
      }
      for (CommitToken token : acknowledged) {
        assertThat(orchestrator.await(token, Duration.ofSeconds(60)).committed()).isTrue();
      }
      table.refresh();
      Map<Long, Integer> seen = new HashMap<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
        for (Record record : records) {
          seen.merge((Long) record.getField("id"), 1, Integer::sum);
        }
      }
      assertThat(seen.values()).as("no write is applied twice").allMatch(count -> count == 1);
      assertThat(seen.keySet()).containsAll(idOf.values());
      assertThat(acknowledged.size() + failures).isEqualTo(300);
      assertThat(acknowledged.size()).isGreaterThan(290);
    } finally {
      sweeper.close();
      path.close();
    }
  }
}
