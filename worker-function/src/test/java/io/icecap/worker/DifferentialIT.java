package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.DifferentialWorkload.Submitted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random workload from four concurrent clients, applied by Icecap's workers, gives the
 * same table as replaying the same statements in sequence order into one plain DuckDB database.
 */
class DifferentialIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final int CLIENTS = 4;
  private static final int STATEMENTS_PER_CLIENT = 1250;
  private static final int PARTITIONS = 10;
  private static final long SEED = Long.getLong("icecap.differential.seed", 20261121L);

  @TempDir Path warehouse;
  @TempDir Path work;
  private TestingWritePath path;

  @BeforeEach
  void setUp() {
    path = TestingWritePath.start(REDIS, warehouse, work, true, ValidationLimits.defaults());
  }

  @AfterEach
  void tearDown() {
    path.close();
  }

  @Test
  void icecapMatchesAPlainDuckDbReplayOfTheLog() throws Exception {
    DifferentialWorkload workload =
        new DifferentialWorkload(SEED, CLIENTS, STATEMENTS_PER_CLIENT, PARTITIONS);
    Table table = workload.createTable(path.catalog);

    List<Submitted> log = workload.run(path.orchestrator);
    workload.awaitApplied(path.orchestrator, log, Duration.ofMinutes(5));

    workload.verify(table, path.logs, log);
    // one snapshot per checkpoint, far fewer than one per write
    assertThat(table.snapshots()).hasSizeLessThan(log.size() / 5);
  }
}
