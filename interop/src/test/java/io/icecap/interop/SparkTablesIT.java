package io.icecap.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapException;
import io.icecap.client.IcecapSession;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.log.TransactionLog;
import io.icecap.worker.JobHooks;
import io.icecap.worker.Worker;
import io.icecap.worker.WorkerSettings;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.MaintenanceTask;
import io.icecap.worker.maintenance.TableMaintenance;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables Spark writes in the ways other engines write them — merge-on-read with position deletes
 * (v2), deletion vectors (v3), an evolved partition spec, ORC and Avro data files — and a table
 * whose rows Iceberg's Java API deletes by equality, read by Icecap as Spark reads them, latest and
 * at each snapshot, and changed by Icecap's UPDATE, DELETE and INSERT so that Spark then reads what
 * Icecap reads. On the v3 table Icecap's writes are refused (it does not keep row lineage) and
 * leave the table as it was. The expected rows come from a model of the rows each side was told to
 * write, changed as the statements change them.
 */
class SparkTablesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final int ROWS = 40;
  private static final LocalDate DAY0 = LocalDate.of(2026, 1, 1);
  private static final String COLUMNS = "id, name, qty, day";

  @TempDir static Path dir;

  private static SparkAndIcecap both;
  private static IcecapSession icecap;
  private static SparkProcess spark;

  @BeforeAll
  static void start() throws Exception {
    both = SparkAndIcecap.start(REDIS.server().uri(), dir);
    icecap = both.icecap();
    spark = both.spark();
  }

  @AfterAll
  static void stop() {
    if (both != null) {
      both.close();
    }
  }

  @Test
  void mergeOnReadWithPositionDeletes() throws Exception {
    String table = "mor_v2";
    Model model = sparkWrites(table, "'format-version'='2', " + MERGE_ON_READ, false);
    assertThat(single(spark.sql(metadata(table, "delete_files", "count(*)", "content = 1"))))
        .as("position delete files Spark wrote")
        .isNotEqualTo("0");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  /**
   * Icecap's compaction of Spark's merge-on-read table: no delete files are left, and Spark and
   * Icecap read the model's rows at every snapshot; Icecap's writes apply after it.
   */
  @Test
  void mergeOnReadCompactsToNoDeleteFiles() throws Exception {
    String table = "mor_compacted";
    Model model = sparkWrites(table, "'format-version'='2', " + MERGE_ON_READ, false);
    assertThat(single(spark.sql(metadata(table, "delete_files", "count(*)", "true"))))
        .as("delete files Spark wrote")
        .isNotEqualTo("0");
    Map<String, String> properties =
        Map.of(
            RedisCatalogProperties.URI,
            REDIS.server().uri(),
            CatalogProperties.WAREHOUSE_LOCATION,
            dir.resolve("warehouse").toString());
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(icecap.config().catalogName(), properties);
    try (TransactionLog logs =
            TransactionLog.open(icecap.config().catalogName(), properties, "maintenance");
        Worker worker =
            new Worker(
                catalog,
                logs,
                WorkerSettings.defaults("maintenance", dir.resolve("maintenance")),
                JobHooks.NONE)) {
      MaintenanceReport report =
          new TableMaintenance(catalog, logs, worker, "interop-maintenance")
              .run(
                  TableIdentifier.of(SparkAndIcecap.NAMESPACE, table),
                  new MaintenanceRequest(EnumSet.of(MaintenanceTask.COMPACT), false),
                  MaintenanceProgress.NONE);
      assertThat(report.tasks().get(0).partitions()).as("partitions compacted").isPositive();
    } finally {
      catalog.close();
    }
    assertThat(single(spark.sql(metadata(table, "delete_files", "count(*)", "true"))))
        .as("delete files after the compaction")
        .isEqualTo("0");
    assertThat(
            single(
                spark.sql(
                    "SELECT operation FROM lake."
                        + SparkAndIcecap.NAMESPACE
                        + "."
                        + table
                        + ".snapshots WHERE summary['icecap.operation'] = 'compaction'")))
        .isEqualTo("replace");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  @Test
  void v3WithDeletionVectors() throws Exception {
    String table = "dv_v3";
    Model model = sparkWrites(table, "'format-version'='3', " + MERGE_ON_READ, false);
    assertThat(
            single(
                spark.sql(metadata(table, "delete_files", "count(*)", "file_format = 'PUFFIN'"))))
        .as("deletion vectors Spark wrote")
        .isNotEqualTo("0");
    bothReadAlike(table, model);
    icecapWritesAreRefused(table, model);
  }

  @Test
  void evolvedPartitionSpec() throws Exception {
    String table = "evolved";
    Model model = sparkWrites(table, "'format-version'='2'", true);
    assertThat(spark.sql(metadata(table, "data_files", "DISTINCT spec_id", "true")))
        .as("data files of two partition specs")
        .hasSize(2);
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  /** Spark's ORC files of the first spec: Icecap reads their rows to rewrite them. */
  @Test
  void evolvedPartitionSpecWithOrcFiles() throws Exception {
    String table = "evolved_orc";
    Model model = sparkWrites(table, "'format-version'='2', 'write.format.default'='orc'", true);
    assertThat(spark.sql(metadata(table, "data_files", "DISTINCT spec_id", "true")))
        .as("data files of two partition specs")
        .hasSize(2);
    assertThat(spark.sql(metadata(table, "data_files", "DISTINCT file_format", "true")))
        .extracting(row -> row.get(0).asText())
        .containsExactly("ORC");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  @Test
  void orcDataFiles() throws Exception {
    String table = "orc_files";
    Model model = sparkWrites(table, "'write.format.default'='orc'", false);
    assertThat(spark.sql(metadata(table, "data_files", "DISTINCT file_format", "true")))
        .extracting(row -> row.get(0).asText())
        .containsExactly("ORC");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  @Test
  void avroDataFiles() throws Exception {
    String table = "avro_files";
    Model model = sparkWrites(table, "'write.format.default'='avro'", false);
    assertThat(spark.sql(metadata(table, "data_files", "DISTINCT file_format", "true")))
        .extracting(row -> row.get(0).asText())
        .containsExactly("AVRO");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  /**
   * Spark inserts; Iceberg's Java API (through the catalog, in this JVM, as Flink or another writer
   * would) then deletes by equality: every 7th id, the rows whose name is null, and an upsert that
   * deletes every 5th id by equality and adds it back with a raised quantity in the same commit.
   */
  @Test
  void equalityDeletesFromIcebergsJavaApi() throws Exception {
    String table = "equality_deletes";
    String name = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    spark.sql(
        "CREATE TABLE "
            + name
            + " (id BIGINT, name STRING, qty INT, day DATE) USING iceberg PARTITIONED BY (day)"
            + " TBLPROPERTIES ('format-version'='2')");
    Model model = sparkInserts(name);
    Table iceberg = icecap.catalog().loadTable(TableIdentifier.of(SparkAndIcecap.NAMESPACE, table));

    List<Row> sevenths = model.rows.values().stream().filter(r -> r.id() % 7 == 0).toList();
    IcebergJavaWrites.equalityDeletes(iceberg, "id", sevenths);
    model.rows.keySet().removeIf(id -> id % 7 == 0);

    List<Row> fifths = model.rows.values().stream().filter(r -> r.id() % 5 == 0).toList();
    List<Row> raised = fifths.stream().map(r -> r.withQty(r.qty() + 100)).toList();
    IcebergJavaWrites.upsert(iceberg, "id", fifths, raised);
    raised.forEach(r -> model.rows.put(r.id(), r));

    List<Row> unnamed = model.rows.values().stream().filter(r -> r.name() == null).toList();
    assertThat(unnamed).isNotEmpty();
    IcebergJavaWrites.equalityDeletes(iceberg, "name", unnamed);
    model.rows.keySet().removeIf(id -> model.rows.get(id).name() == null);

    assertThat(single(spark.sql(metadata(table, "delete_files", "count(*)", "content = 2"))))
        .as("equality delete files the Java API wrote")
        .isNotEqualTo("0");
    assertThat(single(spark.sql(metadata(table, "delete_files", "count(*)", "content <> 2"))))
        .as("delete files other than equality deletes")
        .isEqualTo("0");
    bothReadAlike(table, model);
    icecapWrites(table, model);
  }

  private static final String MERGE_ON_READ =
      "'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read',"
          + " 'write.merge.mode'='merge-on-read'";

  /**
   * Spark creates the table partitioned by day, inserts rows in two snapshots (evolving the spec to
   * add {@code bucket(4, id)} between them when asked), deletes every 7th row and raises the
   * quantity of every 5th (of the second insert only, when the spec evolved).
   */
  private static Model sparkWrites(String table, String properties, boolean evolve) {
    String name = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    spark.sql(
        "CREATE TABLE "
            + name
            + " (id BIGINT, name STRING, qty INT, day DATE) USING iceberg PARTITIONED BY (day)"
            + " TBLPROPERTIES ("
            + properties
            + ")");
    Model model =
        sparkInserts(
            name,
            () -> {
              if (evolve) {
                spark.sql("ALTER TABLE " + name + " ADD PARTITION FIELD bucket(4, id)");
              }
            });
    // with an evolved spec, the rows of the first spec stay as written: a copy-on-write change
    // would rewrite their files under the new spec
    long changedAbove = evolve ? ROWS / 2 : 0;
    spark.sql("DELETE FROM " + name + " WHERE id % 7 = 0 AND id > " + changedAbove);
    model.rows.keySet().removeIf(id -> id % 7 == 0 && id > changedAbove);
    spark.sql("UPDATE " + name + " SET qty = qty + 100 WHERE id % 5 = 0 AND id > " + changedAbove);
    model.rows.replaceAll(
        (id, row) -> id % 5 == 0 && id > changedAbove ? row.withQty(row.qty() + 100) : row);
    return model;
  }

  /** Spark inserts {@link #ROWS} rows in two snapshots. */
  private static Model sparkInserts(String name) {
    return sparkInserts(name, () -> {});
  }

  /**
   * Spark inserts {@link #ROWS} rows in two snapshots, running {@code between} between them: ids
   * from 1, a null name every 9th, four days.
   */
  private static Model sparkInserts(String name, Runnable between) {
    Model model = new Model();
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (long id = 1; id <= ROWS; id++) {
      String nameValue = id % 9 == 0 ? null : "n" + id;
      int qty = (int) (id * 3 % 17);
      LocalDate day = DAY0.plusDays(id % 4);
      model.put(id, nameValue, qty, day);
      String values =
          "(%d, %s, %d, DATE '%s')"
              .formatted(id, nameValue == null ? "NULL" : "'" + nameValue + "'", qty, day);
      (id <= ROWS / 2 ? first : second).add(values);
    }
    spark.sql("INSERT INTO " + name + " VALUES " + String.join(", ", first));
    between.run();
    spark.sql("INSERT INTO " + name + " VALUES " + String.join(", ", second));
    return model;
  }

  private static String metadata(String table, String what, String select, String where) {
    return "SELECT %s FROM lake.%s.%s.%s WHERE %s"
        .formatted(select, SparkAndIcecap.NAMESPACE, table, what, where);
  }

  private static String single(List<List<JsonNode>> rows) {
    assertThat(rows).hasSize(1);
    return rows.get(0).get(0).asText();
  }

  /**
   * Icecap answers as Spark does (the whole table, a filter, an aggregate) at the latest snapshot
   * and reads the same rows as Spark at every snapshot of the table; both read the model's rows.
   */
  private static void bothReadAlike(String table, Model model) throws Exception {
    String sparkName = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    String icecapName = SparkAndIcecap.NAMESPACE + "." + table;
    assertThat(Rows.ofSpark(spark.sql(all(sparkName, "")))).isEqualTo(model.all());
    for (String query :
        List.of(
            all("%s", ""),
            "SELECT " + COLUMNS + " FROM %s WHERE id BETWEEN 10 AND 25 AND qty > 5 ORDER BY id",
            "SELECT day, count(*), sum(qty) FROM %s GROUP BY day ORDER BY day")) {
      assertThat(Rows.ofIcecap(icecap.query(query.formatted(icecapName))))
          .as("Icecap's answer to %s", query)
          .isEqualTo(Rows.ofSpark(spark.sql(query.formatted(sparkName))));
    }
    assertThat(snapshotIds(sparkName)).hasSizeGreaterThanOrEqualTo(4);
    sameRowsAtEverySnapshot(table);
    assertThat(Rows.ofIcecap(icecap.query(all(icecapName, "")))).isEqualTo(model.all());
  }

  /** Icecap reads the rows Spark reads at every snapshot of the table. */
  private static void sameRowsAtEverySnapshot(String table) throws Exception {
    String sparkName = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    String icecapName = SparkAndIcecap.NAMESPACE + "." + table;
    for (String snapshot : snapshotIds(sparkName)) {
      assertThat(
              Rows.ofIcecap(
                  icecap.query(all(icecapName + " AT (VERSION => " + snapshot + ")", ""))))
          .as("Icecap's rows of %s at snapshot %s", table, snapshot)
          .isEqualTo(Rows.ofSpark(spark.sql(all(sparkName, " VERSION AS OF " + snapshot))));
    }
  }

  /** Icecap updates, deletes and inserts; both sides then read the model's rows. */
  private static void icecapWrites(String table, Model model) throws Exception {
    String sparkName = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    String icecapName = SparkAndIcecap.NAMESPACE + "." + table;
    long updated = firstId(model, 1);
    long deleted = firstId(model, 2);
    assertThat(icecap.execute("UPDATE " + icecapName + " SET qty = qty * 2 WHERE id = ?", updated))
        .isEqualTo(1);
    model.rows.computeIfPresent(updated, (id, row) -> row.withQty(row.qty() * 2));
    assertThat(icecap.execute("DELETE FROM " + icecapName + " WHERE id = ?", deleted)).isEqualTo(1);
    model.rows.remove(deleted);
    LocalDate day = DAY0.plusDays(2);
    assertThat(
            icecap.execute(
                "INSERT INTO " + icecapName + " VALUES (?, ?, ?, ?)", 1_000L, "icecap", 7, day))
        .isEqualTo(1);
    model.put(1_000L, "icecap", 7, day);
    assertThat(Rows.ofIcecap(icecap.query(all(icecapName, "")))).isEqualTo(model.all());
    assertThat(Rows.ofSpark(spark.sql(all(sparkName, "")))).isEqualTo(model.all());
    // Icecap's snapshots too read alike, at each one
    sameRowsAtEverySnapshot(table);
  }

  /**
   * Icecap's UPDATE, DELETE and INSERT on a format v3 table are each refused with {@link
   * ErrorCode#UNSUPPORTED}, naming format version 3 and row lineage, and leave the table as it was:
   * the same current snapshot, and the model's rows for Icecap and Spark.
   */
  private static void icecapWritesAreRefused(String table, Model model) throws Exception {
    String sparkName = "lake." + SparkAndIcecap.NAMESPACE + "." + table;
    String icecapName = SparkAndIcecap.NAMESPACE + "." + table;
    TableIdentifier id = TableIdentifier.of(SparkAndIcecap.NAMESPACE, table);
    Table before = icecap.catalog().loadTable(id);
    assertThat(((HasTableOperations) before).operations().current().formatVersion()).isEqualTo(3);
    long snapshot = before.currentSnapshot().snapshotId();
    List<String> sparkSnapshots = snapshotIds(sparkName);
    long existing = firstId(model, 1);
    Map<String, Object[]> writes = new LinkedHashMap<>();
    writes.put("UPDATE " + icecapName + " SET qty = qty * 2 WHERE id = ?", new Object[] {existing});
    writes.put("DELETE FROM " + icecapName + " WHERE id = ?", new Object[] {existing});
    writes.put(
        "INSERT INTO " + icecapName + " VALUES (?, ?, ?, ?)",
        new Object[] {1_000L, "icecap", 7, DAY0.plusDays(2)});
    for (Map.Entry<String, Object[]> write : writes.entrySet()) {
      assertThatThrownBy(() -> icecap.execute(write.getKey(), write.getValue()))
          .as("Icecap's %s", write.getKey())
          .isInstanceOfSatisfying(
              IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
          .hasMessageContaining("format version 3")
          .hasMessageContaining("row lineage");
    }
    assertThat(icecap.catalog().loadTable(id).currentSnapshot().snapshotId())
        .as("the current snapshot after the refused writes")
        .isEqualTo(snapshot);
    assertThat(snapshotIds(sparkName)).isEqualTo(sparkSnapshots);
    assertThat(Rows.ofIcecap(icecap.query(all(icecapName, "")))).isEqualTo(model.all());
    assertThat(Rows.ofSpark(spark.sql(all(sparkName, "")))).isEqualTo(model.all());
  }

  private static List<String> snapshotIds(String sparkName) {
    return spark
        .sql("SELECT snapshot_id FROM " + sparkName + ".snapshots ORDER BY committed_at")
        .stream()
        .map(row -> row.get(0).asText())
        .toList();
  }

  private static String all(String table, String asOf) {
    return "SELECT " + COLUMNS + " FROM " + table + asOf + " ORDER BY id";
  }

  /** The {@code n}th id still in the model. */
  private static long firstId(Model model, int n) {
    return model.rows.keySet().stream().skip(n - 1).findFirst().orElseThrow();
  }

  /** One row of a test table. */
  record Row(long id, String name, int qty, LocalDate day) {
    Row withQty(int newQty) {
      return new Row(id, name, newQty, day);
    }

    List<String> values() {
      return Rows.row(id, name, qty, day);
    }
  }

  /** The rows a table should hold, by id. */
  static final class Model {
    final Map<Long, Row> rows = new TreeMap<>();

    void put(long id, String name, int qty, LocalDate day) {
      rows.put(id, new Row(id, name, qty, day));
    }

    List<List<String>> all() {
      return rows.values().stream().map(Row::values).collect(Collectors.toList());
    }
  }
}
