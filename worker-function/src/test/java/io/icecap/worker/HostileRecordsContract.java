package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.catalog.RedisKeys;
import io.icecap.catalog.RedisSession;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.log.AbortedRecords;
import io.icecap.txn.log.TableLog;
import io.icecap.txn.record.RecordCodec;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.validate.ValidationLimits;
import io.lettuce.core.XAddArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records appended straight to a table's log, as anything that can write Redis could: file and
 * environment reads, files written, databases attached, extensions installed, settings changed,
 * second statements, parameters that are expressions, staged files outside the table, malformed and
 * oversized records, unknown partitions, statements that would damage the replica. Each is aborted
 * with its reason, no file outside the worker's own directories is read or written, and a
 * legitimate write acknowledged right after it is applied by the same job.
 *
 * <p>Every way a worker runs (a thread, an {@code icecap worker} process, the Lambda handler) runs
 * this contract; each says how it applies a table's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileRecordsContract {
  private static final String MARKER = "icecap-secret-7d1f";
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "part", Types.IntegerType.get()),
          Types.NestedField.optional(3, "name", Types.StringType.get()));
  private static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).identity("part").build();

  private final AtomicInteger tables = new AtomicInteger();
  protected Path root;
  protected TestingWritePath path;
  private RedisSession raw;
  private Path outside;
  private Path secret;

  /** The Redis the contract runs on, started by the implementation's extension. */
  protected abstract RedisServerExtension redis();

  /** Where the orchestrator's apply requests go. */
  protected abstract TestingWritePath.Jobs jobs();

  /** Starts what applies logs (after the write path started). */
  protected abstract void startWorkers() throws Exception;

  /** Applies the table's log until nothing is pending, or fails the test. */
  protected abstract void applyAll(TableIdentifier table) throws Exception;

  /** Stops what {@link #startWorkers} started. */
  protected abstract void stopWorkers() throws Exception;

  @BeforeAll
  void start() throws Exception {
    root = Files.createTempDirectory("icecap-hostile");
    outside = Files.createDirectories(root.resolve("outside"));
    secret = outside.resolve("secret.txt");
    Files.writeString(secret, MARKER + "\n");
    path =
        TestingWritePath.start(
            redis(),
            root.resolve("warehouse").toString(),
            Map.of(),
            root.resolve("work"),
            jobs(),
            ValidationLimits.defaults());
    raw = RedisSession.open(TestingWritePath.CATALOG, path.properties, "hostile", List.of());
    startWorkers();
  }

  @AfterAll
  void stop() throws Exception {
    stopWorkers();
    raw.close();
    path.close();
    ApplyJob.deleteTree(root);
  }

  /** What a case needs to write its record. */
  protected final class Target {
    final TableIdentifier identifier;
    final Table table;
    final TableLog log;

    Target(TableIdentifier identifier) {
      this.identifier = identifier;
      this.table = path.catalog.loadTable(identifier);
      this.log = path.logs.table(identifier);
    }

    String secret() {
      return secret.toString().replace("'", "''");
    }

    String outside(String name) {
      return outside.resolve(name).toString();
    }

    /** Appends a record's text as the append script does: the next sequence number. */
    long append(String text) {
      return log.append(UUID.randomUUID().toString(), text);
    }

    /** A record of one statement on this table, as the submit path shapes one. */
    String record(RecordStatement statement, Map<String, List<String>> partitions) {
      return RecordCodec.encode(
          new TransactionRecord(
              UUID.randomUUID().toString(),
              table.uuid().toString(),
              table.spec().specId(),
              table.schema().schemaId(),
              System.currentTimeMillis(),
              List.of(statement),
              partitions));
    }

    long statement(DmlKind kind, String sql) {
      return append(
          record(
              new RecordStatement(
                  kind, sql, null, kind == DmlKind.INSERT ? Map.of("part=1", 1L) : null, null),
              kind == DmlKind.INSERT ? Map.of("part=1", List.of("1")) : Map.of()));
    }

    long update(String sql, String template, List<String> parameters) {
      return append(
          record(
              new RecordStatement(DmlKind.UPDATE, sql, null, null, null, template, parameters),
              Map.of()));
    }

    /** Adds an entry to the log stream with the next sequence number and the given fields. */
    long xadd(Map<String, String> fields) {
      RedisKeys keys = new RedisKeys(TestingWritePath.CATALOG);
      String seq = keys.tableKey(identifier, "seq");
      String stream = keys.tableKey(identifier, "log");
      long next = raw.call("incr", r -> r.incr(seq));
      raw.call("xadd", r -> r.xadd(stream, new XAddArgs().id(next + "-0"), fields));
      return next;
    }
  }

  /**
   * A hostile record.
   *
   * @param name what it tries
   * @param write appends it and returns its sequence number
   * @param reason a part of the reason it must be aborted with
   */
  record Case(String name, java.util.function.ToLongFunction<Target> write, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    Consumer<Case> add = cases::add;
    add.accept(
        new Case(
            "read a file with read_text",
            t ->
                t.statement(
                    DmlKind.INSERT,
                    "INSERT INTO icecap_insert SELECT 9, 1, content FROM read_text('"
                        + t.secret()
                        + "')"),
            "read_text"));
    add.accept(
        new Case(
            "read the process environment",
            t ->
                t.statement(
                    DmlKind.INSERT,
                    "INSERT INTO icecap_insert SELECT 9, 1, content FROM"
                        + " read_text('/proc/self/environ')"),
            "read_text"));
    add.accept(
        new Case(
            "read a file with read_csv",
            t ->
                t.statement(
                    DmlKind.INSERT,
                    "INSERT INTO icecap_insert SELECT 9, 1, column0 FROM read_csv('"
                        + t.secret()
                        + "', header = false)"),
            "read_csv"));
    add.accept(
        new Case(
            "list a directory with glob",
            t ->
                t.statement(
                    DmlKind.INSERT,
                    "INSERT INTO icecap_insert SELECT 9, 1, file FROM glob('/etc/*')"),
            "glob"));
    add.accept(
        new Case(
            "read a file in a nested query",
            t ->
                t.statement(
                    DmlKind.UPDATE,
                    "UPDATE rows SET name = (SELECT content FROM read_text('"
                        + t.secret()
                        + "')) WHERE id = 1"),
            "subqueries"));
    add.accept(
        new Case(
            "write a file with COPY",
            t ->
                t.statement(DmlKind.DELETE, "COPY (SELECT 1) TO '" + t.outside("copied.csv") + "'"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "write a file after a second statement",
            t ->
                t.statement(
                    DmlKind.DELETE,
                    "DELETE FROM rows WHERE id = 0; COPY (SELECT 1) TO '"
                        + t.outside("second.csv")
                        + "'"),
            "more than one statement"));
    add.accept(
        new Case(
            "attach a database",
            t -> t.statement(DmlKind.UPDATE, "ATTACH '" + t.outside("attached.duckdb") + "'"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "install an extension",
            t -> t.statement(DmlKind.UPDATE, "INSTALL httpfs"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "load an extension",
            t -> t.statement(DmlKind.UPDATE, "LOAD httpfs"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "change a setting",
            t -> t.statement(DmlKind.UPDATE, "SET enable_external_access = false"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "run a pragma",
            t -> t.statement(DmlKind.DELETE, "PRAGMA enable_profiling"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "read a setting",
            t ->
                t.statement(
                    DmlKind.UPDATE,
                    "UPDATE rows SET name = current_setting('allowed_directories') WHERE id = 1"),
            "current_setting"));
    add.accept(
        new Case(
            "smuggle an expression as a parameter",
            t ->
                t.update(
                    "UPDATE rows SET name = 'x' WHERE id = CAST(1 AS BIGINT)",
                    "UPDATE rows SET name = ? WHERE id = ?",
                    List.of(
                        "(SELECT content FROM read_text('" + t.secret() + "'))",
                        "CAST(1 AS BIGINT)")),
            "parameter 1"));
    add.accept(
        new Case(
            "smuggle an expression inside a cast parameter",
            t ->
                t.update(
                    "UPDATE rows SET name = 'x' WHERE id = CAST(1 AS BIGINT)",
                    "UPDATE rows SET name = ? WHERE id = ?",
                    List.of("'x'", "CAST((SELECT 1) AS BIGINT)")),
            "parameter 2"));
    add.accept(
        new Case(
            "show one statement and carry another",
            t ->
                t.update(
                    "UPDATE rows SET name = 'evil' WHERE true",
                    "UPDATE rows SET name = ? WHERE id = ?",
                    List.of("'x'", "CAST(1 AS BIGINT)")),
            "not its template"));
    add.accept(
        new Case(
            "a numbered placeholder left in the SQL",
            t -> t.statement(DmlKind.UPDATE, "UPDATE rows SET name = $1 WHERE id = 1"),
            "placeholder"));
    add.accept(
        new Case(
            "a staged file anywhere on the machine",
            t -> {
              Path parquet = Path.of(t.outside("rows.parquet"));
              return t.append(
                  t.record(
                      new RecordStatement(
                          DmlKind.INSERT, null, parquet.toString(), Map.of("part=1", 1L), null),
                      Map.of("part=1", List.of("1"))));
            },
            "staging location"));
    add.accept(
        new Case(
            "a staged file that climbs out of the staging location",
            t ->
                t.append(
                    t.record(
                        new RecordStatement(
                            DmlKind.INSERT,
                            null,
                            t.table.location() + "/icecap/staged/../../../outside/x.parquet",
                            Map.of("part=1", 1L),
                            null),
                        Map.of("part=1", List.of("1")))),
            "staging location"));
    add.accept(new Case("malformed JSON", t -> t.append("{\"id\": \"x\", "), "not a valid"));
    add.accept(new Case("a JSON array", t -> t.append("[1, 2, 3]"), "not a valid"));
    add.accept(new Case("JSON null", t -> t.append("null"), "JSON null"));
    add.accept(
        new Case(
            "no statement",
            t ->
                t.append(
                    "{\"id\":\"a\",\"tableUuid\":\""
                        + t.table.uuid()
                        + "\",\"specId\":0,\"schemaId\":0,\"submittedAtMillis\":1,"
                        + "\"statements\":[],\"partitions\":{}}"),
            "at least one statement"));
    add.accept(
        new Case(
            "an unknown statement kind",
            t ->
                t.append(
                    "{\"id\":\"a\",\"tableUuid\":\""
                        + t.table.uuid()
                        + "\",\"specId\":0,\"schemaId\":0,\"submittedAtMillis\":1,"
                        + "\"statements\":[{\"kind\":\"MERGE\",\"sql\":\"MERGE INTO rows\"}],"
                        + "\"partitions\":{}}"),
            "not a valid"));
    add.accept(
        new Case(
            "deeply nested JSON",
            t -> t.append("[".repeat(5_000) + "]".repeat(5_000)),
            "not a valid"));
    add.accept(
        new Case(
            "a record over the size limit",
            t -> t.append("{\"id\":\"" + "x".repeat(TransactionRecord.MAX_CHARS) + "\"}"),
            "over the limit"));
    add.accept(
        new Case(
            "an insert into a partition the record does not carry",
            t ->
                t.append(
                    t.record(
                        new RecordStatement(
                            DmlKind.INSERT,
                            "INSERT INTO icecap_insert VALUES (9, 99, 'x')",
                            null,
                            Map.of("part=99", 1L),
                            null),
                        Map.of())),
            "does not carry"));
    add.accept(
        new Case(
            "an insert whose partition key names other values",
            t ->
                t.append(
                    t.record(
                        new RecordStatement(
                            DmlKind.INSERT,
                            "INSERT INTO icecap_insert VALUES (9, 8, 'x')",
                            null,
                            Map.of("part=7", 1L),
                            null),
                        Map.of("part=7", List.of("8")))),
            "values of partition part=8"));
    add.accept(
        new Case(
            "partition values of the wrong type",
            t ->
                t.append(
                    t.record(
                        new RecordStatement(
                            DmlKind.INSERT,
                            "INSERT INTO icecap_insert VALUES (9, 1, 'x')",
                            null,
                            Map.of("part=1", 1L),
                            null),
                        Map.of("part=1", List.of("\"one\"")))),
            "not a partition"));
    add.accept(
        new Case(
            "drop the replica's table",
            t -> t.statement(DmlKind.DELETE, "DROP TABLE rows"),
            "Only INSERT, UPDATE and DELETE"));
    add.accept(
        new Case(
            "delete the replica's state",
            t -> t.statement(DmlKind.DELETE, "DELETE FROM icecap_state"),
            "writes rows"));
    add.accept(
        new Case(
            "rewrite the replica's state",
            t -> t.statement(DmlKind.UPDATE, "UPDATE icecap_state SET applied = 0"),
            "writes rows"));
    add.accept(
        new Case(
            "an insert straight into the partition",
            t -> t.statement(DmlKind.INSERT, "INSERT INTO rows VALUES (9, 1, 'x')"),
            "writes icecap_insert"));
    add.accept(
        new Case(
            "an insert that copies the partition",
            t -> t.statement(DmlKind.INSERT, "INSERT INTO icecap_insert SELECT * FROM rows"),
            "reads table rows"));
    add.accept(
        new Case(
            "an insert that reads the replica's state",
            t ->
                t.statement(
                    DmlKind.INSERT,
                    "INSERT INTO icecap_insert SELECT 9, 1, table_name FROM icecap_state"),
            "reads table icecap_state"));
    add.accept(
        new Case(
            "RETURNING",
            t ->
                t.statement(
                    DmlKind.INSERT, "INSERT INTO icecap_insert VALUES (9, 1, 'x') RETURNING *"),
            "RETURNING"));
    add.accept(
        new Case(
            "a statement kind other than the record says",
            t -> t.statement(DmlKind.DELETE, "UPDATE rows SET name = 'x' WHERE id = 1"),
            "the record says DELETE"));
    add.accept(
        new Case(
            "an update of the partition column",
            t -> t.statement(DmlKind.UPDATE, "UPDATE rows SET part = 5 WHERE id = 1"),
            "partitions the table"));
    add.accept(
        new Case(
            "another table's record",
            t ->
                t.append(
                    "{\"id\":\"a\",\"tableUuid\":\""
                        + UUID.randomUUID()
                        + "\",\"specId\":0,\"schemaId\":0,\"submittedAtMillis\":1,"
                        + "\"statements\":[{\"kind\":\"DELETE\",\"sql\":\"DELETE FROM rows\"}],"
                        + "\"partitions\":{}}"),
            "dropped and created again"));
    add.accept(
        new Case(
            "a value that fails when applied",
            t ->
                t.statement(
                    DmlKind.UPDATE,
                    "UPDATE rows SET id = CAST(name || 'x' AS BIGINT) WHERE id = 2"),
            "Conversion Error"));
    add.accept(new Case("a log entry without a record", t -> t.xadd(Map.of("t", "1")), "missing"));
    add.accept(
        new Case(
            "a log entry whose time is not a number",
            t -> t.xadd(Map.of("r", "{", "t", "yesterday")),
            "not a valid"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aHostileRecordIsAbortedAndTheNextWriteApplied(Case hostile) throws Exception {
    TableIdentifier identifier = TableIdentifier.of("db", "t" + tables.incrementAndGet());
    path.create(identifier, SCHEMA, SPEC);
    path.orchestrator.submit(
        identifier,
        List.of(
            SqlStatement.of(
                "INSERT INTO " + identifier.name() + " VALUES (1, 1, 'a'), (2, 2, 'b')")));
    applyAll(identifier);
    Target target = new Target(identifier);
    long sequence = hostile.write().applyAsLong(target);
    CommitToken next =
        path.orchestrator.submit(
            identifier,
            List.of(
                SqlStatement.of(
                    "UPDATE " + identifier.name() + " SET name = ? WHERE id = ?", "after", 1L)));

    long started = System.nanoTime();
    applyAll(identifier);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    TransactionResult aborted = result(target.log, sequence);
    assertThat(aborted.committed()).as("%s is aborted", hostile.name()).isFalse();
    assertThat(aborted.error()).contains(hostile.reason());
    assertThat(result(target.log, next.sequence()).rowCounts()).containsExactly(1L);
    AbortedRecords counted = target.log.aborted();
    assertThat(counted.count()).isEqualTo(1);
    assertThat(counted.lastSequence()).isEqualTo(sequence);
    assertThat(counted.lastReason()).contains(hostile.reason());
    Table table = path.catalog.loadTable(identifier);
    assertThat(TestingWritePath.rows(table, "id", "part", "name"))
        .containsExactly("1,1,after", "2,2,b");
    assertThat(target.log.state().hasPending()).isFalse();
    assertThat(took).as("the next write's apply time").isLessThan(Duration.ofSeconds(20));
    try (Stream<Path> files = Files.list(outside)) {
      assertThat(files).containsExactly(secret);
    }
  }

  private static TransactionResult result(TableLog log, long sequence) {
    String text = log.results(List.of(sequence)).get(sequence);
    assertThat(text).as("result of record %d", sequence).isNotNull();
    return RecordCodec.decode(text, TransactionResult.class, "result " + sequence);
  }
}
