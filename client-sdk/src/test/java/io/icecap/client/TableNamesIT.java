package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.RedisKeys;
import io.icecap.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table, namespace and column names: names that differ only in case (which DuckDB does not tell
 * apart), nested namespaces, and names with quotes, dots, unicode and great length, through the SDK
 * and through the catalog as another engine calls it.
 */
class TableNamesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session = Icecap.connect(config());
    session.execute("CREATE SCHEMA s");
  }

  private IcecapConfig config() {
    return IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1);
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void tablesAndSchemasThatDifferOnlyInCaseAreRefusedWhenCreated() throws Exception {
    session.execute("CREATE TABLE s.\"case\" (v INTEGER)");
    session.execute("INSERT INTO s.\"case\" VALUES (1)");

    assertCode(
        () -> session.execute("CREATE TABLE s.\"Case\" (v INTEGER)"),
        ErrorCode.ALREADY_EXISTS,
        "differs only in case from table s.case");
    assertCode(
        () -> session.execute("CREATE TABLE IF NOT EXISTS s.\"CASE\" (v INTEGER)"),
        ErrorCode.ALREADY_EXISTS,
        "differs only in case");
    assertCode(
        () -> session.query("SELECT * FROM s.\"Case\""),
        ErrorCode.UNKNOWN_TABLE,
        "s.Case does not exist");
    assertThat(rows("SELECT v FROM s.\"case\"")).containsExactly("1");

    session.execute("CREATE TABLE s.other (v INTEGER)");
    assertCode(
        () -> session.execute("ALTER TABLE s.other RENAME TO s.\"cASE\""),
        ErrorCode.ALREADY_EXISTS,
        "differs only in case");
    // a table may change the case of its own name
    session.execute("ALTER TABLE s.\"case\" RENAME TO s.\"Case\"");
    assertThat(rows("SELECT v FROM s.\"Case\"")).containsExactly("1");
    assertThat(session.execute("INSERT INTO s.\"Case\" VALUES (2)")).isEqualTo(1);
    assertThat(rows("SELECT v FROM s.\"Case\" ORDER BY v")).containsExactly("1", "2");

    assertCode(() -> session.execute("CREATE SCHEMA \"S\""), ErrorCode.ALREADY_EXISTS, "case");
    assertCode(
        () -> session.execute("CREATE SCHEMA IF NOT EXISTS \"S\""),
        ErrorCode.ALREADY_EXISTS,
        "differs only in case from namespace s");
    session.execute("CREATE SCHEMA s.n");
    assertCode(() -> session.execute("CREATE SCHEMA s.\"N\""), ErrorCode.ALREADY_EXISTS, "case");

    // DuckDB folds ASCII letters only: these are two names to it, and to the catalog
    session.execute("CREATE TABLE s.\"é\" (v INTEGER)");
    session.execute("CREATE TABLE s.\"É\" (v INTEGER)");
    session.execute("INSERT INTO s.\"é\" VALUES (10)");
    session.execute("INSERT INTO s.\"É\" VALUES (20)");
    assertThat(rows("SELECT a.v, b.v FROM s.\"é\" a, s.\"É\" b")).containsExactly("10|20");
  }

  @Test
  void columnsThatDifferOnlyInCaseAreRefused() throws Exception {
    session.execute("CREATE TABLE s.t (id INTEGER, v VARCHAR)");
    assertCode(
        () -> session.execute("CREATE TABLE s.u (a INTEGER, \"A\" INTEGER)"),
        ErrorCode.SYNTAX_ERROR,
        "already exists");
    assertCode(
        () -> session.execute("ALTER TABLE s.t ADD COLUMN \"V\" INTEGER"),
        ErrorCode.ALREADY_EXISTS,
        "V");
    assertCode(
        () -> session.execute("ALTER TABLE s.t RENAME COLUMN id TO \"V\""),
        ErrorCode.ALREADY_EXISTS,
        "V");
    session.execute("ALTER TABLE s.t RENAME COLUMN v TO \"V\"");
    // Iceberg's case-insensitive look-ups (planning, routing) fold every letter
    session.execute("ALTER TABLE s.t ADD COLUMN \"é\" INTEGER");
    assertCode(
        () -> session.execute("ALTER TABLE s.t ADD COLUMN \"É\" INTEGER"),
        ErrorCode.ALREADY_EXISTS,
        "column é exists");
    session.execute("INSERT INTO s.t VALUES (1, 'x', 2)");
    assertThat(columns("SELECT * FROM s.t")).containsExactly("id", "V", "é");
    assertThat(rows("SELECT \"V\", \"é\" FROM s.t WHERE \"é\" = 2")).containsExactly("x|2");
  }

  @Test
  void theCatalogRefusesCaseOnlyNamesAsAnotherEngineCallsIt() {
    SupportsNamespaces namespaces = (SupportsNamespaces) session.catalog();
    Schema schema = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()));
    session.catalog().createTable(TableIdentifier.of("s", "Events"), schema);

    assertThatThrownBy(
            () -> session.catalog().createTable(TableIdentifier.of("s", "events"), schema))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("events differs only in case from table s.Events");
    assertThatThrownBy(() -> namespaces.createNamespace(Namespace.of("S")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("differs only in case");
    session.catalog().createTable(TableIdentifier.of("s", "x"), schema);
    assertThatThrownBy(
            () ->
                session
                    .catalog()
                    .renameTable(TableIdentifier.of("s", "x"), TableIdentifier.of("s", "EVENTS")))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("differs only in case");

    Schema twoCases =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "ID", Types.LongType.get()));
    assertThatThrownBy(() -> session.catalog().createTable(TableIdentifier.of("s", "y"), twoCases))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("id and ID differ only in case");
    assertThat(session.catalog().tableExists(TableIdentifier.of("s", "y"))).isFalse();

    Table events = session.catalog().loadTable(TableIdentifier.of("s", "Events"));
    assertThatThrownBy(
            () -> events.updateSchema().addColumn("ID", Types.IntegerType.get()).commit())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("differ only in case");
    assertThatThrownBy(
            () ->
                events
                    .updateSchema()
                    .addColumn(
                        "nested",
                        Types.StructType.of(
                            Types.NestedField.optional(10, "k", Types.IntegerType.get()),
                            Types.NestedField.optional(11, "K", Types.IntegerType.get())))
                    .commit())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nested.k and nested.K");
    events.refresh();
    assertThat(events.schema().columns()).hasSize(1);
  }

  @Test
  void tablesWithCaseOnlyNamesMadeBeforeTheCheckAreKeptApart() throws Exception {
    session.execute("CREATE TABLE s.\"case\" (v INTEGER)");
    session.execute("INSERT INTO s.\"case\" VALUES (1)");
    session.execute("CREATE TABLE s.tmp (v INTEGER)");
    forceRename(TableIdentifier.of("s", "tmp"), TableIdentifier.of("s", "Case"));
    session.execute("INSERT INTO s.\"Case\" VALUES (2)");

    assertThat(rows("SELECT v FROM s.\"case\"")).containsExactly("1");
    assertThat(rows("SELECT v FROM s.\"Case\"")).containsExactly("2");
    assertThat(rows("SELECT v FROM s.\"case\"")).containsExactly("1");
    assertThat(session.execute("UPDATE s.\"Case\" SET v = 3")).isEqualTo(1);
    assertThat(rows("SELECT v FROM s.\"Case\"")).containsExactly("3");
    assertThat(rows("SELECT v FROM s.\"case\"")).containsExactly("1");
    assertCode(
        () -> session.query("SELECT * FROM s.\"case\" a, s.\"Case\" b"),
        ErrorCode.UNSUPPORTED,
        "differ only in case");
  }

  @Test
  void aTableWithCaseOnlyColumnsMadeBeforeTheCheckGetsClearErrors() throws Exception {
    session.execute("CREATE TABLE s.t (id INTEGER, v INTEGER)");
    session.execute("INSERT INTO s.t VALUES (1, 2)");
    Table table = session.catalog().loadTable(TableIdentifier.of("s", "t"));
    TableOperations ops = ((HasTableOperations) table).operations();
    TableMetadata base = ops.current();
    Schema bad =
        new Schema(
            Types.NestedField.optional(1, "id", Types.IntegerType.get()),
            Types.NestedField.optional(2, "v", Types.IntegerType.get()),
            Types.NestedField.optional(3, "V", Types.IntegerType.get()));
    TableMetadata next = TableMetadata.buildFrom(base).setCurrentSchema(bad, 3).build();
    String location = base.location() + "/metadata/99999-hand-made.metadata.json";
    TableMetadataParser.write(next, ops.io().newOutputFile(location));
    try (Raw raw = new Raw()) {
      raw.sync()
          .hset(
              new RedisKeys("icecap").tableMeta(TableIdentifier.of("s", "t")),
              "metadata_location",
              location);
    }
    // a change made behind the catalog's back reaches the session's caches within a second
    session.environment().orchestrator.forget(TableIdentifier.of("s", "t"));
    session.environment().tables.forget(TableIdentifier.of("s", "t"));
    assertCode(() -> session.query("SELECT * FROM s.t"), ErrorCode.UNSUPPORTED, "v and V");
    assertCode(
        () -> session.query("SELECT id FROM s.t WHERE id = 1"), ErrorCode.UNSUPPORTED, "v and V");
    assertCode(
        () -> session.execute("INSERT INTO s.t VALUES (1, 2, 3)"),
        ErrorCode.UNSUPPORTED,
        "v and V");
    // the table is fixed by renaming one of them, and its data reads as it was
    session.execute("ALTER TABLE s.t RENAME COLUMN \"V\" TO v2");
    assertThat(rows("SELECT id, v, v2 FROM s.t WHERE id = 1")).containsExactly("1|2|null");
  }

  @Test
  void nestedNamespacesWorkInQueriesWritesAndDdl() throws Exception {
    session.execute("CREATE SCHEMA a");
    session.execute("CREATE SCHEMA a.b");
    session.execute("CREATE SCHEMA a.b.c");
    session.execute(
        "CREATE TABLE a.b.t (id BIGINT NOT NULL, v VARCHAR) PARTITIONED BY (bucket(2, id))");
    session.execute("CREATE TABLE a.b.c.deep (id BIGINT, w VARCHAR)");
    session.execute("CREATE TABLE s.flat (id BIGINT, x VARCHAR)");
    assertThat(session.execute("INSERT INTO a.b.t VALUES (1, 'one'), (2, 'two'), (3, 'three')"))
        .isEqualTo(3);
    Snapshot first =
        session.catalog().loadTable(TableIdentifier.of(ns("a", "b"), "t")).currentSnapshot();
    Instant afterFirst = Instant.ofEpochMilli(first.timestampMillis() + 1);
    Thread.sleep(5);
    assertThat(session.execute("UPDATE a.b.t SET v = upper(v) WHERE id = ?", 1L)).isEqualTo(1);
    assertThat(session.execute("DELETE FROM a.b.t AS x WHERE x.id = 2")).isEqualTo(1);
    session.execute("INSERT INTO a.b.c.deep VALUES (1, 'deep')");
    session.execute("INSERT INTO s.flat VALUES (1, 'flat'), (3, 'flat3')");

    assertThat(rows("SELECT id, v FROM a.b.t ORDER BY id")).containsExactly("1|ONE", "3|three");
    assertThat(rows("SELECT t.v FROM a.b.t WHERE t.id = 3")).containsExactly("three");
    // as a tool writes a schema it was shown as a.b: no one-level namespace "a.b" exists
    assertThat(rows("SELECT count(*) FROM \"a.b\".t")).containsExactly("2");
    assertThat(session.execute("UPDATE \"a.b\".t SET v = v WHERE id = 3")).isEqualTo(1);
    session.execute("CREATE SCHEMA \"a.b\"");
    assertCode(
        () -> session.query("SELECT count(*) FROM \"a.b\".t"),
        ErrorCode.UNKNOWN_TABLE,
        "does not exist");
    session.execute("DROP SCHEMA \"a.b\"");
    assertThat(rows("SELECT w FROM a.b.c.deep")).containsExactly("deep");
    assertThat(
            rows(
                "SELECT t.id, t.v, f.x, d.w FROM a.b.t JOIN s.flat f ON t.id = f.id"
                    + " LEFT JOIN a.b.c.deep AS d ON d.id = t.id ORDER BY t.id"))
        .containsExactly("1|ONE|flat|deep", "3|three|flat3|null");
    assertThat(
            rows(
                "WITH x AS (SELECT * FROM a.b.t) SELECT count(*) FROM x"
                    + " WHERE id IN (SELECT id FROM a.b.t WHERE id > 1)"))
        .containsExactly("1");
    assertThat(
            rows("SELECT id, v FROM a.b.t AT (VERSION => " + first.snapshotId() + ") ORDER BY id"))
        .containsExactly("1|one", "2|two", "3|three");
    assertThat(
            rows(
                "SELECT o.v, n.v FROM a.b.t o AT (VERSION => "
                    + first.snapshotId()
                    + ") JOIN a.b.t n ON o.id = n.id WHERE o.id = 1"))
        .containsExactly("one|ONE");
    try (ResultSet result = session.queryAsOf(afterFirst, "SELECT count(*) FROM a.b.t")) {
      result.next();
      assertThat(result.getLong(1)).isEqualTo(3);
    }
    // a leading name equal to the catalog's is the catalog
    assertThat(rows("SELECT x FROM icecap.s.flat WHERE id = 1")).containsExactly("flat");
    assertCode(
        () -> session.query("SELECT * FROM nope.s.flat"),
        ErrorCode.UNKNOWN_TABLE,
        "nope.s.flat does not exist");

    // the same rule for schema names; a namespace named like the catalog follows its name
    session.execute("CREATE SCHEMA icecap.c1");
    assertThat(((SupportsNamespaces) session.catalog()).namespaceExists(ns("c1"))).isTrue();
    session.execute("CREATE SCHEMA icecap");
    session.execute("CREATE SCHEMA icecap.icecap.inner");
    session.execute("CREATE TABLE icecap.icecap.inner.t (id INTEGER)");
    session.execute("INSERT INTO icecap.icecap.inner.t VALUES (1)");
    assertThat(session.catalog().tableExists(TableIdentifier.of(ns("icecap", "inner"), "t")))
        .isTrue();
    assertThat(rows("SELECT t.id FROM icecap.icecap.inner.t")).containsExactly("1");

    session.setConsistency(Consistency.LATEST);
    session.executeAsync("INSERT INTO a.b.t VALUES (4, 'four')");
    assertThat(rows("SELECT count(*) FROM a.b.t")).containsExactly("3");
    session.setConsistency(Consistency.SNAPSHOT);

    session.execute("ALTER TABLE a.b.t ADD COLUMN note VARCHAR");
    session.execute("UPDATE a.b.t SET note = 'n' WHERE id = 4");
    assertThat(rows("SELECT id, note FROM a.b.t WHERE note IS NOT NULL")).containsExactly("4|n");
    session.execute("ALTER TABLE a.b.t RENAME TO a.b.c.moved");
    assertThat(rows("SELECT count(*) FROM a.b.c.moved")).containsExactly("3");
    assertCode(() -> session.query("SELECT * FROM a.b.t"), ErrorCode.UNKNOWN_TABLE, "a.b.t");
    session.execute("DROP TABLE a.b.c.moved");
    session.execute("DROP TABLE a.b.c.deep");
    session.execute("DROP SCHEMA a.b.c");
    assertThat(((SupportsNamespaces) session.catalog()).namespaceExists(ns("a", "b", "c")))
        .isFalse();

    try (IcecapSession nested = Icecap.connect(config().withDefaultNamespace("a.b"))) {
      nested.execute("CREATE TABLE u (id INTEGER)");
      nested.execute("INSERT INTO u VALUES (7)");
      try (ResultSet result = nested.query("SELECT id FROM u")) {
        result.next();
        assertThat(result.getInt(1)).isEqualTo(7);
      }
      nested.setDefaultNamespace("s");
      try (ResultSet result = nested.query("SELECT count(*) FROM flat")) {
        result.next();
        assertThat(result.getInt(1)).isEqualTo(2);
      }
    }
    assertThat(session.catalog().tableExists(TableIdentifier.of(ns("a", "b"), "u"))).isTrue();
  }

  @Test
  void columnAliasesOfAReferenceAreKeptAndDoNotPrune() throws Exception {
    session.execute("CREATE SCHEMA a");
    session.execute("CREATE SCHEMA a.b");
    session.execute("CREATE TABLE a.b.t (x INTEGER, y INTEGER)");
    session.execute("CREATE TABLE s.t (x INTEGER, y INTEGER)");
    session.execute("INSERT INTO a.b.t VALUES (1, 2)");
    session.execute("INSERT INTO s.t VALUES (1, 2)");
    long snapshot =
        session
            .catalog()
            .loadTable(TableIdentifier.of(ns("a", "b"), "t"))
            .currentSnapshot()
            .snapshotId();
    // the aliases swap the names: the file's statistics of y say nothing of the alias y
    assertThat(rows("SELECT q.y FROM s.t AS q(y, x) WHERE q.y = 1")).containsExactly("1");
    assertThat(rows("SELECT q.y, q.x FROM a.b.t AS q(y, x) WHERE q.y = 1")).containsExactly("1|2");
    assertThat(
            rows("SELECT q.y FROM a.b.t AS q(y, x) AT (VERSION => " + snapshot + ") WHERE q.y = 1"))
        .containsExactly("1");
  }

  @Test
  void hostileNamesWorkQuoted() throws Exception {
    String longName = "l".repeat(200);
    session.execute("CREATE SCHEMA \"we.ird\"");
    session.execute("CREATE TABLE \"we.ird\".\"ta\"\"ble\" (id INTEGER, \"cö\"\"l\" VARCHAR)");
    session.execute("INSERT INTO \"we.ird\".\"ta\"\"ble\" VALUES (1, 'a')");
    session.execute("UPDATE \"we.ird\".\"ta\"\"ble\" SET \"cö\"\"l\" = 'b' WHERE id = 1");
    assertThat(rows("SELECT id, \"cö\"\"l\" FROM \"we.ird\".\"ta\"\"ble\"")).containsExactly("1|b");
    assertThat(session.table("\"we.ird\".\"ta\"\"ble\"").name()).isEqualTo("icecap.we.ird.ta\"ble");
    assertCode(() -> session.table("we.ird.ta\"ble"), ErrorCode.SYNTAX_ERROR, "does not parse");

    session.execute("CREATE TABLE s.\"" + longName + "\" (id INTEGER)");
    session.execute("INSERT INTO s.\"" + longName + "\" VALUES (5)");
    assertThat(rows("SELECT id FROM s.\"" + longName + "\"")).containsExactly("5");

    String tooLong = "x".repeat(300);
    assertCode(
        () -> session.execute("CREATE TABLE s.\"" + tooLong + "\" (id INTEGER)"),
        ErrorCode.STORAGE_ERROR,
        "File name too long");
    assertThat(session.catalog().tableExists(TableIdentifier.of("s", tooLong))).isFalse();

    session.execute("CREATE TABLE s.\"日本\" (\"名前\" VARCHAR)");
    session.execute("INSERT INTO s.\"日本\" VALUES ('東京')");
    assertThat(rows("SELECT \"名前\" FROM s.\"日本\"")).containsExactly("東京");

    session.execute("CREATE TABLE s.\"x/y\" (id INTEGER)");
    Table slashed = session.catalog().loadTable(TableIdentifier.of("s", "x/y"));
    assertThat(slashed.location()).doesNotEndWith("/s/x/y");
    session.execute("INSERT INTO s.\"x/y\" VALUES (1)");
    assertThat(rows("SELECT id FROM s.\"x/y\"")).containsExactly("1");
  }

  private static Namespace ns(String... levels) {
    return Namespace.of(levels);
  }

  /** Renames a table in Redis behind the catalog's back, as a catalog without the check could. */
  private void forceRename(TableIdentifier from, TableIdentifier to) {
    RedisKeys keys = new RedisKeys("icecap");
    try (Raw raw = new Raw()) {
      raw.sync().rename(keys.tableMeta(from), keys.tableMeta(to));
      raw.sync().hset(keys.tableMeta(to), "name", to.name());
      raw.sync().srem(keys.namespaceTables(from.namespace()), from.name());
      raw.sync().sadd(keys.namespaceTables(to.namespace()), to.name());
    }
  }

  private static final class Raw implements AutoCloseable {
    private final RedisClient client = RedisClient.create(REDIS.server().uri());
    private final StatefulRedisConnection<String, String> connection = client.connect();

    RedisCommands<String, String> sync() {
      return connection.sync();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  private static void assertCode(Runnable action, ErrorCode code, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOf(IcecapException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((IcecapException) e).code())
        .isEqualTo(code);
  }

  private List<String> rows(String sql, Object... parameters) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = session.query(sql, parameters)) {
      int width = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int c = 1; c <= width; c++) {
          values.add(String.valueOf(result.getObject(c)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  private List<String> columns(String sql) throws SQLException {
    try (ResultSet result = session.query(sql)) {
      List<String> names = new ArrayList<>();
      for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
        names.add(result.getMetaData().getColumnName(c));
      }
      return names;
    }
  }
}
