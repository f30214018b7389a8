package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Many writers, each with its own catalog (as separate processes would), on one table. */
class RedisCatalogConcurrencyIT {
  private static final int THREADS = 8;
  private static final int APPENDS_PER_THREAD = 50;

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;

  @Test
  void concurrentAppendsLoseNoUpdate() throws Exception {
    TableIdentifier id = TableIdentifier.of("db", "events");
    try (RedisCatalog setup = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      setup.createNamespace(Namespace.of("db"));
      setup
          .buildTable(id, CatalogFixtures.SCHEMA)
          .withProperties(
              Map.of(
                  TableProperties.COMMIT_NUM_RETRIES, "1000",
                  TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "1",
                  TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "50",
                  TableProperties.COMMIT_TOTAL_RETRY_TIME_MS, "600000"))
          .create();
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Callable<List<String>> writer =
          () -> {
            List<String> committed = new ArrayList<>();
            try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
              Table table = catalog.loadTable(id);
              start.await();
              for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                DataFile file = CatalogFixtures.dataFile("t" + thread + "-" + i);
                table.newAppend().appendFile(file).commit();
                committed.add(file.location());
              }
            }
            return committed;
          };
      results.add(pool.submit(writer));
    }
    start.countDown();
    Set<String> acknowledged = new HashSet<>();
    for (Future<List<String>> result : results) {
      acknowledged.addAll(result.get(10, TimeUnit.MINUTES));
    }
    pool.shutdown();

    try (RedisCatalog reader = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      Table table = reader.loadTable(id);
      List<Snapshot> snapshots = new ArrayList<>();
      table.snapshots().forEach(snapshots::add);
      assertThat(snapshots).hasSize(THREADS * APPENDS_PER_THREAD);
      assertThat(table.history()).hasSize(THREADS * APPENDS_PER_THREAD);

      Set<String> live = new HashSet<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(task -> live.add(task.file().location()));
      }
      assertThat(acknowledged).hasSize(THREADS * APPENDS_PER_THREAD);
      assertThat(live).isEqualTo(acknowledged);
    }
  }
}
