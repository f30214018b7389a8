package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's own behaviour beyond Iceberg's suite: key layout, renames, lost answers. */
class RedisCatalogBehaviourIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;

  @BeforeEach
  void flush() {
    REDIS.flushAll();
  }

  private RedisCatalog catalog() {
    return CatalogFixtures.catalog(REDIS.server().uri(), warehouse);
  }

  @Test
  void loadableByClassNameLikeAnyIcebergCatalog() throws IOException {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, RedisCatalog.class.getName());
    properties.put(CatalogProperties.URI, REDIS.server().uri());
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse.toString());
    Catalog loaded = CatalogUtil.buildIcebergCatalog("lake", properties, null);
    assertThat(loaded).isInstanceOf(RedisCatalog.class);
    assertThat(loaded.name()).isEqualTo("lake");
    ((RedisCatalog) loaded).createNamespace(Namespace.of("db"));
    Table table = loaded.buildTable(TableIdentifier.of("db", "t"), CatalogFixtures.SCHEMA).create();
    assertThat(table.name()).isEqualTo("lake.db.t");
    assertThat(table.location()).isEqualTo(warehouse + "/db/t");
    ((RedisCatalog) loaded).close();
  }

  @Test
  void dottedAndNestedNamespacesStayDistinct() throws IOException {
    try (RedisCatalog catalog = catalog()) {
      Namespace dotted = Namespace.of("a.b");
      Namespace parent = Namespace.of("a");
      Namespace nested = Namespace.of("a", "b");
      catalog.createNamespace(dotted, Map.of("kind", "dotted"));
      catalog.createNamespace(parent);
      catalog.createNamespace(nested, Map.of("kind", "nested"));
      catalog.buildTable(TableIdentifier.of(dotted, "t1"), CatalogFixtures.SCHEMA).create();
      catalog.buildTable(TableIdentifier.of(nested, "t2"), CatalogFixtures.SCHEMA).create();

      assertThat(catalog.listNamespaces()).containsExactlyInAnyOrder(dotted, parent);
      assertThat(catalog.listNamespaces(parent)).containsExactly(nested);
      assertThat(catalog.listTables(dotted)).containsExactly(TableIdentifier.of(dotted, "t1"));
      assertThat(catalog.listTables(nested)).containsExactly(TableIdentifier.of(nested, "t2"));
      assertThat(catalog.loadNamespaceMetadata(dotted)).containsEntry("kind", "dotted");
      assertThat(catalog.loadNamespaceMetadata(nested)).containsEntry("kind", "nested");
    }
  }

  @Test
  void awkwardNamesRoundTrip() throws IOException {
    try (RedisCatalog catalog = catalog()) {
      Namespace namespace = Namespace.of("{tag}", "colon:ns", "ünï 日本");
      catalog.createNamespace(Namespace.of("{tag}"));
      catalog.createNamespace(Namespace.of("{tag}", "colon:ns"));
      catalog.createNamespace(namespace);
      TableIdentifier id = TableIdentifier.of(namespace, "t}a{b%2E.c");
      catalog.buildTable(id, CatalogFixtures.SCHEMA).create();

      assertThat(catalog.listNamespaces(Namespace.of("{tag}", "colon:ns")))
          .containsExactly(namespace);
      assertThat(catalog.listTables(namespace)).containsExactly(id);
      assertThat(catalog.loadTable(id).name()).isEqualTo("test." + id);
    }
  }

  @Test
  void renameMovesTheTablesStateAtomically() throws IOException {
    TableIdentifier from = TableIdentifier.of("db", "old");
    TableIdentifier to = TableIdentifier.of("archive", "new");
    try (RedisCatalog catalog = catalog();
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      catalog.createNamespace(Namespace.of("db"));
      catalog.createNamespace(Namespace.of("archive"));
      Table table = catalog.buildTable(from, CatalogFixtures.SCHEMA).create();
      table.newAppend().appendFile(CatalogFixtures.dataFile("x")).commit();
      raw.sync().set(catalog.keys().tableKey(from, "seq"), "42");

      catalog.renameTable(from, to);

      assertThat(raw.sync().get(catalog.keys().tableKey(to, "seq"))).isEqualTo("42");
      assertThat(raw.sync().exists(catalog.keys().tableKey(from, "seq"))).isZero();
      assertThat(raw.sync().exists(catalog.keys().tableMeta(from))).isZero();
      assertThat(catalog.listTables(Namespace.of("db"))).isEmpty();
      assertThat(catalog.listTables(Namespace.of("archive"))).containsExactly(to);
      assertThat(catalog.loadTable(to).currentSnapshot()).isNotNull();

      assertThatThrownBy(() -> catalog.renameTable(to, TableIdentifier.of("missing", "x")))
          .isInstanceOf(NoSuchNamespaceException.class)
          .hasMessageContaining("Namespace does not exist: missing");
      assertThat(catalog.tableExists(to)).isTrue();
    }
  }

  @Test
  void dropRemovesStateAndPurgeRemovesFiles() throws IOException {
    TableIdentifier kept = TableIdentifier.of("db", "kept");
    TableIdentifier purged = TableIdentifier.of("db", "purged");
    try (RedisCatalog catalog = catalog();
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      catalog.createNamespace(Namespace.of("db"));
      Table keptTable = catalog.buildTable(kept, CatalogFixtures.SCHEMA).create();
      Table purgedTable = catalog.buildTable(purged, CatalogFixtures.SCHEMA).create();
      purgedTable.newAppend().appendFile(CatalogFixtures.dataFile("p")).commit();
      raw.sync().set(catalog.keys().tableKey(kept, "seq"), "7");
      String keptMetadata = metadataLocation(keptTable);
      String purgedMetadata = metadataLocation(catalog.loadTable(purged));

      assertThat(catalog.dropTable(kept, false)).isTrue();
      assertThat(catalog.dropTable(purged, true)).isTrue();
      assertThat(catalog.dropTable(purged, true)).isFalse();

      assertThat(raw.sync().keys("icecap:{test.db.*")).isEmpty();
      assertThat(Files.exists(Path.of(keptMetadata))).isTrue();
      assertThat(Files.exists(Path.of(purgedMetadata))).isFalse();

      // a table dropped without purge can be registered again from its metadata file
      Table registered = catalog.registerTable(kept, keptMetadata);
      assertThat(registered.schema().asStruct()).isEqualTo(keptTable.schema().asStruct());
    }
  }

  @Test
  void aCommitWhoseAnswerWasLateIsFoundApplied() throws Exception {
    TableIdentifier id = TableIdentifier.of("db", "slow");
    try (RedisCatalog catalog = impatientCatalog(300);
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      catalog.createNamespace(Namespace.of("db"));
      Table table = statusChecks(catalog.buildTable(id, CatalogFixtures.SCHEMA), 500, 10).create();
      DataFile file = CatalogFixtures.dataFile("late");

      raw.pauseWrites(1500);
      table.newAppend().appendFile(file).commit();

      Table reloaded = catalog.loadTable(id);
      assertThat(List.copyOf(snapshotIds(reloaded))).hasSize(1);
      assertThat(reloaded.currentSnapshot().addedDataFiles(reloaded.io()))
          .extracting(DataFile::location)
          .containsExactly(file.location());
    }
  }

  @Test
  void aCreateWhoseAnswerWasLateIsFoundApplied() throws Exception {
    TableIdentifier id = TableIdentifier.of("db", "late_create");
    try (RedisCatalog catalog = impatientCatalog(300);
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      catalog.createNamespace(Namespace.of("db"));

      raw.pauseWrites(1500);
      Table created =
          statusChecks(catalog.buildTable(id, CatalogFixtures.SCHEMA), 500, 10).create();

      assertThat(catalog.listTables(Namespace.of("db"))).containsExactly(id);
      assertThat(metadataLocation(catalog.loadTable(id))).isEqualTo(metadataLocation(created));
    }
  }

  @Test
  void aCommitWhoseOutcomeStaysUnknownKeepsItsFiles() throws Exception {
    TableIdentifier id = TableIdentifier.of("db", "unknown");
    try (RedisCatalog catalog = impatientCatalog(200);
        RawRedis raw = new RawRedis(REDIS.server().uri())) {
      catalog.createNamespace(Namespace.of("db"));
      Table table =
          statusChecks(catalog.buildTable(id, CatalogFixtures.SCHEMA), 10, 1)
              .withProperty(TableProperties.COMMIT_STATUS_CHECKS_TOTAL_WAIT_MS, "50")
              .create();

      raw.pauseWrites(2000);
      assertThatThrownBy(() -> table.newAppend().appendFile(CatalogFixtures.dataFile("u")).commit())
          .isInstanceOf(CommitStateUnknownException.class)
          .hasMessageContaining("did not answer in time");

      // the paused request runs once Redis resumes, and the metadata file it names was kept
      Table reloaded = awaitSnapshot(catalog, id);
      assertThat(Files.exists(Path.of(metadataLocation(reloaded)))).isTrue();
      assertThat(List.copyOf(snapshotIds(reloaded))).hasSize(1);
    }
  }

  /** A catalog whose Redis commands time out after {@code timeoutMillis}. */
  private RedisCatalog impatientCatalog(long timeoutMillis) {
    Map<String, String> properties = CatalogFixtures.properties(REDIS.server().uri(), warehouse);
    properties.put(RedisCatalogProperties.TIMEOUT_MS, Long.toString(timeoutMillis));
    return CatalogFixtures.catalog(properties);
  }

  /** How often, and how far apart, Iceberg checks the outcome of a commit whose answer was lost. */
  private static Catalog.TableBuilder statusChecks(
      Catalog.TableBuilder builder, long waitMillis, int checks) {
    return builder
        .withProperty(TableProperties.COMMIT_STATUS_CHECKS_MIN_WAIT_MS, Long.toString(waitMillis))
        .withProperty(TableProperties.COMMIT_STATUS_CHECKS_MAX_WAIT_MS, Long.toString(waitMillis))
        .withProperty(TableProperties.COMMIT_NUM_STATUS_CHECKS, Integer.toString(checks));
  }

  @Test
  void namesThatDifferOnlyInAsciiCaseAreRefused() throws IOException {
    try (RedisCatalog catalog = catalog()) {
      catalog.createNamespace(Namespace.of("Db"));
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("dB")))
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining("dB: it differs only in case from namespace Db");
      catalog.createNamespace(Namespace.of("Db", "x.y"));
      assertThatThrownBy(() -> catalog.createNamespace(Namespace.of("Db", "X.Y")))
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining("differs only in case");
      // DuckDB folds ASCII letters only: these are two names
      catalog.createNamespace(Namespace.of("é"));
      catalog.createNamespace(Namespace.of("É"));

      TableIdentifier orders = TableIdentifier.of("Db", "Orders");
      catalog.buildTable(orders, CatalogFixtures.SCHEMA).create();
      assertThatThrownBy(
              () ->
                  catalog
                      .buildTable(TableIdentifier.of("Db", "ORDERS"), CatalogFixtures.SCHEMA)
                      .create())
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining("ORDERS differs only in case from table Db.Orders");
      assertThat(catalog.listTables(Namespace.of("Db"))).containsExactly(orders);

      TableIdentifier other = TableIdentifier.of("Db", "other");
      catalog.buildTable(other, CatalogFixtures.SCHEMA).create();
      assertThatThrownBy(() -> catalog.renameTable(other, TableIdentifier.of("Db", "orders")))
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining("differs only in case from table Db.Orders");
      assertThat(catalog.tableExists(other)).isTrue();
      // a table may change the case of its own name, and move to where no name clashes
      catalog.renameTable(orders, TableIdentifier.of("Db", "orders"));
      catalog.renameTable(
          TableIdentifier.of("Db", "orders"), TableIdentifier.of(Namespace.of("é"), "ORDERS"));
      catalog.buildTable(TableIdentifier.of("Db", "ORDERS"), CatalogFixtures.SCHEMA).create();
      assertThat(catalog.listTables(Namespace.of("Db")))
          .containsExactly(TableIdentifier.of("Db", "ORDERS"), other);
    }
  }

  @Test
  void everyTableGetsADirectoryOfItsOwnWhateverItsName() throws IOException {
    try (RedisCatalog catalog = catalog()) {
      catalog.createNamespace(Namespace.of("s"));
      catalog.createNamespace(Namespace.of("s", "x"));
      catalog.createNamespace(Namespace.of(".."));
      Table slashed =
          catalog.buildTable(TableIdentifier.of("s", "x/y"), CatalogFixtures.SCHEMA).create();
      Table nested =
          catalog
              .buildTable(TableIdentifier.of(Namespace.of("s", "x"), "y"), CatalogFixtures.SCHEMA)
              .create();
      Table up = catalog.buildTable(TableIdentifier.of("..", "t"), CatalogFixtures.SCHEMA).create();
      Table percent =
          catalog.buildTable(TableIdentifier.of("s", "x%2Fy"), CatalogFixtures.SCHEMA).create();
      assertThat(nested.location()).isEqualTo(warehouse + "/s/x/y");
      assertThat(slashed.location()).isEqualTo(warehouse + "/s/x%2Fy");
      assertThat(percent.location()).isEqualTo(warehouse + "/s/x%252Fy");
      assertThat(up.location()).isEqualTo(warehouse + "/%2E%2E/t");
    }
  }

  @Test
  void ofCaseVariantsCreatedAtOnceExactlyOneIsMade() throws Exception {
    try (RedisCatalog catalog = catalog()) {
      catalog.createNamespace(Namespace.of("db"));
      List<String> variants = List.of("orders", "Orders", "ORDERS", "oRdErS", "ordeRS", "OrdeRs");
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(variants.size());
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> made = new java.util.ArrayList<>();
      try {
        for (String variant : variants) {
          made.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      catalog
                          .buildTable(TableIdentifier.of("db", variant), CatalogFixtures.SCHEMA)
                          .create();
                      return true;
                    } catch (AlreadyExistsException e) {
                      return false;
                    }
                  }));
        }
        start.countDown();
        int created = 0;
        for (java.util.concurrent.Future<Boolean> result : made) {
          created += result.get() ? 1 : 0;
        }
        assertThat(created).isEqualTo(1);
        assertThat(catalog.listTables(Namespace.of("db"))).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void schemasWithColumnsThatDifferOnlyInCaseAreRefused() throws IOException {
    try (RedisCatalog catalog = catalog()) {
      catalog.createNamespace(Namespace.of("db"));
      Schema clashing =
          new Schema(
              Types.NestedField.required(1, "id", Types.LongType.get()),
              Types.NestedField.optional(2, "Id", Types.LongType.get()));
      TableIdentifier t = TableIdentifier.of("db", "t");
      assertThatThrownBy(() -> catalog.buildTable(t, clashing).create())
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("columns id and Id differ only in case");
      assertThat(catalog.tableExists(t)).isFalse();

      Table table = catalog.buildTable(t, CatalogFixtures.SCHEMA).create();
      String column = CatalogFixtures.SCHEMA.columns().get(0).name();
      String upper = column.toUpperCase(java.util.Locale.ROOT);
      String before = metadataLocation(table);
      assertThatThrownBy(
              () -> table.updateSchema().addColumn(upper, Types.StringType.get()).commit())
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("columns " + column + " and " + upper);
      assertThatThrownBy(
              () ->
                  table
                      .updateSchema()
                      .addColumn(
                          "s",
                          Types.StructType.of(
                              Types.NestedField.optional(100, "a", Types.IntegerType.get()),
                              Types.NestedField.optional(101, "A", Types.IntegerType.get())))
                      .commit())
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("columns s.a and s.A");
      table.refresh();
      assertThat(metadataLocation(table)).isEqualTo(before);
      // Iceberg's case-insensitive look-ups fold every letter, and fail on such a pair
      table.updateSchema().addColumn("é", Types.StringType.get()).commit();
      assertThatThrownBy(() -> table.updateSchema().addColumn("É", Types.StringType.get()).commit())
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("columns é and É");
      table.updateSchema().renameColumn("é", "É").commit();
      assertThat(catalog.loadTable(t).schema().findField("É")).isNotNull();
    }
  }

  private static Table awaitSnapshot(RedisCatalog catalog, TableIdentifier id)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        Table table = catalog.loadTable(id);
        if (table.currentSnapshot() != null || System.nanoTime() > deadline) {
          return table;
        }
      } catch (RedisCatalogException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(100);
    }
  }

  private static List<Long> snapshotIds(Table table) {
    List<Long> ids = new java.util.ArrayList<>();
    table.snapshots().forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }
}
