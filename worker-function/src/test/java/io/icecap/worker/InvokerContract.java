package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.ApplyRequest;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.record.TransactionResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Invoker} must do, whatever runs the jobs (threads of this process, worker
 * processes, Lambda functions): acknowledged writes get applied, bursts of requests apply each
 * record once, several tables are applied, and a failed job does not stop later ones. Each
 * implementation's test extends this class and makes its invoker.
 */
abstract class InvokerContract {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  static final TableIdentifier ITEMS = TableIdentifier.of("db", "items");
  static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path work;
  S3WritePath path;

  /**
   * Makes the invoker under test.
   *
   * @param properties the catalog's properties (Redis, warehouse, S3)
   * @param work a directory for the workers' files
   */
  abstract Invoker invoker(Map<String, String> properties, Path work);

  /** Stops what {@link #invoker} started besides the invoker itself; after the invoker closed. */
  void stopWorkers() {}

  @BeforeEach
  void startWritePath() {
    path = S3WritePath.start(REDIS, S3.server(), work, properties -> invoker(properties, work));
    path.createItems(ITEMS);
  }

  @AfterEach
  void stopWritePath() {
    try {
      path.close();
    } finally {
      stopWorkers();
    }
  }

  private TransactionResult insert(TableIdentifier table, long id) throws Exception {
    return path.orchestrator.execute(
        table,
        List.of(
            SqlStatement.of(
                "INSERT INTO " + table.name() + " (id, v) VALUES (?, ?)", id, "v" + id)),
        WAIT);
  }

  @Test
  void acknowledgedWritesAreAppliedAndTheirResultsReported() throws Exception {
    for (long id = 1; id <= 3; id++) {
      TransactionResult result = insert(ITEMS, id);
      assertThat(result.committed()).isTrue();
      assertThat(result.rowCounts()).containsExactly(1L);
    }
    TransactionResult failed =
        path.orchestrator.execute(
            ITEMS,
            List.of(SqlStatement.of("UPDATE items SET v = CAST(CAST(v AS INTEGER) AS VARCHAR)")),
            WAIT);
    assertThat(failed.committed()).isFalse();
    assertThat(failed.error()).containsIgnoringCase("conver");
    assertThat(path.rows(ITEMS)).isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 3)));
  }

  @Test
  void aBurstOfWritesIsAppliedOnceEachInFewSnapshots() throws Exception {
    for (long id = 1; id <= 200; id++) {
      path.insert(ITEMS, id);
    }
    path.orchestrator.awaitApplied(ITEMS, WAIT);
    assertThat(path.rows(ITEMS))
        .isEqualTo(S3WritePath.expectedRows(LongStream.rangeClosed(1, 200)));
    assertThat(path.catalog.loadTable(ITEMS).snapshots()).hasSizeLessThan(100);
  }

  @Test
  void severalTablesAreAppliedAtOnce() throws Exception {
    List<TableIdentifier> tables =
        List.of(ITEMS, TableIdentifier.of("db", "second"), TableIdentifier.of("db", "third"));
    tables.stream().skip(1).forEach(path::createItems);
    for (long id = 1; id <= 30; id++) {
      path.insert(tables.get((int) (id % 3)), id);
    }
    for (TableIdentifier table : tables) {
      path.orchestrator.awaitApplied(table, WAIT);
    }
    for (int i = 0; i < 3; i++) {
      int remainder = i;
      assertThat(path.rows(tables.get(i)))
          .isEqualTo(
              S3WritePath.expectedRows(
                  LongStream.rangeClosed(1, 30).filter(id -> id % 3 == remainder)));
    }
  }

  @Test
  void aJobForAMissingTableDoesNotStopLaterOnes() throws Exception {
    path.invoker.invoke(new ApplyRequest(TableIdentifier.of("db", "missing"), 1));
    assertThat(insert(ITEMS, 1).committed()).isTrue();
    assertThat(path.rows(ITEMS)).containsExactly("1,v1");
  }
}
