package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** With AOF {@code appendfsync always}, every acknowledged commit survives {@code kill -9}. */
class RedisCatalogDurabilityIT {
  private static final int COMMITS = 25;

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @TempDir Path warehouse;

  @Test
  void acknowledgedCommitsSurviveAKilledServer() throws Exception {
    TableIdentifier id = TableIdentifier.of("db", "ledger");
    List<String> acknowledged = new ArrayList<>();
    try (RedisCatalog catalog = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      catalog.createNamespace(Namespace.of("db"));
      catalog.createNamespace(Namespace.of("db", "nested"));
      Table table = catalog.buildTable(id, CatalogFixtures.SCHEMA).create();
      for (int i = 0; i < COMMITS; i++) {
        DataFile file = CatalogFixtures.dataFile("c" + i);
        table.newAppend().appendFile(file).commit();
        acknowledged.add(file.location());
      }
      String lastMetadata = catalog.loadTable(id).location();

      REDIS.server().kill();

      // while Redis is down, the catalog says so and applies nothing
      String server = "redis://127.0.0.1:" + REDIS.server().port();
      assertThatThrownBy(() -> catalog.loadTable(id))
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("Cannot load table db.ledger")
          .hasMessageContaining(server);
      assertThatThrownBy(() -> catalog.loadTable(id))
          .isInstanceOf(RedisCatalogException.class)
          .hasMessageContaining("cannot reach Redis at " + server);

      REDIS.server().restart();

      // the same catalog instance reconnects by itself
      Table reloaded = catalog.loadTable(id);
      assertThat(reloaded.location()).isEqualTo(lastMetadata);
      assertThat(liveFiles(reloaded)).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(catalog.listNamespaces(Namespace.of("db")))
          .containsExactly(Namespace.of("db", "nested"));

      // and it keeps committing after the restart
      DataFile after = CatalogFixtures.dataFile("after-restart");
      reloaded.newAppend().appendFile(after).commit();
      acknowledged.add(after.location());
    }

    try (RedisCatalog fresh = CatalogFixtures.catalog(REDIS.server().uri(), warehouse)) {
      Table table = fresh.loadTable(id);
      assertThat(liveFiles(table)).containsExactlyInAnyOrderElementsOf(acknowledged);
      List<Long> snapshots = new ArrayList<>();
      table.snapshots().forEach(s -> snapshots.add(s.snapshotId()));
      assertThat(snapshots).hasSize(COMMITS + 1);
    }
  }

  private static Set<String> liveFiles(Table table) throws Exception {
    Set<String> files = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    }
    return files;
  }
}
