package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table written continuously stays bounded with nobody running maintenance by hand: each awaited
 * single-row write is one checkpoint, the session's in-process worker expires the snapshots past
 * the table's retention by itself, and every file left under the table's location is one a live
 * snapshot, the metadata log or the replica map names. Before maintenance, 1,000 such writes left
 * 6,003 files, one DuckDB replica and about three manifests per checkpoint.
 */
class BoundedGrowthIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier EVENTS = TableIdentifier.of("s", "events");

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA s");
    session.execute(
        "CREATE TABLE s.events (id BIGINT, v VARCHAR) PARTITIONED BY (bucket(4, id))"
            + " TBLPROPERTIES ('history.expire.max-snapshot-age-ms' = '3000')");
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void aContinuouslyWrittenTableKeepsOnlyWhatItsRetentionNeeds() throws Exception {
    long writes = 0;
    long until = System.nanoTime() + 32_000_000_000L; // three checks of the in-process worker
    while (System.nanoTime() - until < 0) {
      session.execute("INSERT INTO s.events VALUES (?, ?)", writes, "v" + writes);
      writes++;
    }
    Table table = session.catalog().loadTable(EVENTS);
    MaintenanceStatus status = session.maintenanceStatus("s.events");
    assertThat(status.lastRun())
        .as("the worker expired snapshots by itself")
        .containsKey(MaintenanceTask.EXPIRE);
    assertThat(status.filesRemoved()).isPositive();

    session.maintain("s.events", new MaintenanceRequest(Set.of(MaintenanceTask.EXPIRE), false));
    table.refresh();
    List<Snapshot> snapshots = snapshots(table);
    assertThat(snapshots.size())
        .as("snapshots kept of %s checkpoints", writes)
        .isLessThan((int) writes / 2);
    assertThat(count()).isEqualTo(writes);

    Set<String> files = filesUnder(table);
    Set<String> referenced = referenced(table);
    assertThat(files)
        .as("every file under the table's location has an owner")
        .containsExactlyInAnyOrderElementsOf(referenced);
    assertThat(files.stream().filter(file -> file.endsWith(".duckdb")))
        .as("one replica per partition")
        .hasSize(4);
    assertThat(files.stream().filter(file -> file.endsWith(".parquet")).count())
        .as("data files: the live ones and those the kept snapshots replaced")
        .isLessThanOrEqualTo(4L + snapshots.size());

    // time travel reaches every kept snapshot and says when one is gone
    Snapshot oldest = snapshots.get(0);
    try (ResultSet rows =
        session.query(
            "SELECT count(*) FROM s.events AT (VERSION => " + oldest.snapshotId() + ")")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(Long.parseLong(oldest.summary().get("total-records")));
    }
    assertThatThrownBy(
            () ->
                session.query(
                    "SELECT count(*) FROM s.events AT (VERSION => " + oldest.parentId() + ")"))
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining("not in the table's history")
        .hasMessageContaining("the oldest available is snapshot " + oldest.snapshotId());
  }

  private long count() throws SQLException {
    try (ResultSet rows = session.query("SELECT count(*) FROM s.events")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static List<Snapshot> snapshots(Table table) {
    List<Snapshot> snapshots = new java.util.ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    snapshots.sort(java.util.Comparator.comparingLong(Snapshot::sequenceNumber));
    return snapshots;
  }

  private static Set<String> filesUnder(Table table) throws IOException {
    Path root = Path.of(table.location().replaceFirst("^file:", ""));
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .filter(Files::isRegularFile)
          .map(Path::toString)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The files the table's metadata, its snapshots and its replica map name. */
  private Set<String> referenced(Table table) {
    Set<String> referenced = new HashSet<>();
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    referenced.add(local(metadata.metadataFileLocation()));
    metadata.previousFiles().forEach(entry -> referenced.add(local(entry.file())));
    for (Snapshot snapshot : table.snapshots()) {
      referenced.add(local(snapshot.manifestListLocation()));
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        referenced.add(local(manifest.path()));
        try (CloseableIterable<? extends ContentFile<?>> entries =
            manifest.content() == org.apache.iceberg.ManifestContent.DATA
                ? ManifestFiles.read(manifest, table.io())
                : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
          entries.forEach(file -> referenced.add(local(file.location())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    try (io.icecap.txn.log.TransactionLog logs =
        io.icecap.txn.log.TransactionLog.open(
            "icecap",
            java.util.Map.of(
                io.icecap.catalog.RedisCatalogProperties.URI,
                REDIS.server().uri(),
                org.apache.iceberg.CatalogProperties.WAREHOUSE_LOCATION,
                warehouse.toString()),
            "test")) {
      logs.table(EVENTS)
          .state()
          .replicas()
          .values()
          .forEach(
              entry ->
                  referenced.add(
                      local(
                          io.icecap.txn.record.RecordCodec.decode(
                                  entry, io.icecap.txn.record.ReplicaEntry.class, "replica entry")
                              .duckdb())));
    }
    return referenced;
  }

  private static String local(String location) {
    return location.replaceFirst("^file:", "");
  }
}
