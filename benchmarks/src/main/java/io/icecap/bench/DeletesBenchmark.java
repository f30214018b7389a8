package io.icecap.bench;

import static java.util.Objects.requireNonNull;

import io.icecap.client.Icecap;
import io.icecap.client.IcecapConfig;
import io.icecap.client.IcecapSession;
import io.icecap.replica.DuckDbTypes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.EncryptedOutputFile;

/**
 * Warm queries on a table another engine changed with row-level deletes (a position delete file per
 * data file, as Spark's merge-on-read writes, and equality deletes by id, as Flink's upserts
 * write), through Icecap, beside DuckDB over the same files with the same deletes applied by hand
 * ({@code read_parquet(..., filename = true, file_row_number = true)} anti-joined with the position
 * delete files and with the equality delete files). The warehouse is a local directory, so both
 * sides read the very same files. Every run of both sides must return the same rows, or the
 * benchmark fails.
 */
final class DeletesBenchmark {
  private final DeletesOptions options;
  private final PrintStream progress;

  /** One query's figures: wall-clock nanoseconds of each measured run, per side. */
  record Figures(String name, String sql, long[] icecap, long[] baseline, int rows) {
    static long median(long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }
  }

  /** The outcome of a run. */
  record Result(
      DeletesOptions options,
      Machine machine,
      int dataFiles,
      long dataBytes,
      long positionDeletes,
      int positionFiles,
      int equalityDeletes,
      int equalityFiles,
      long liveRows,
      List<Figures> queries) {}

  DeletesBenchmark(DeletesOptions options, PrintStream progress) {
    this.options = requireNonNull(options, "options is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  Result run() throws Exception {
    Path dir = Files.createTempDirectory(WorkFiles.create(options.work()), "icecap-bench-");
    try (EmbeddedRedis redis = EmbeddedRedis.start(WorkFiles.create(dir.resolve("redis")))) {
      Path warehouse = WorkFiles.create(dir.resolve("warehouse"));
      IcecapConfig config =
          IcecapConfig.redis(redis.uri(), warehouse.toString(), dir.resolve("home")).withWorkers(1);
      try (IcecapSession session = Icecap.connect(config);
          Connection source = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("src.db"));
          Connection baseline = DriverManager.getConnection("jdbc:duckdb:")) {
        Machine machine = Machine.describe(baseline);
        session.execute("CREATE SCHEMA bench");
        session.execute(
            "CREATE TABLE bench.orders ("
                + DuckDbTypes.columnDefinitions(SyntheticPartition.SCHEMA)
                + ") PARTITIONED BY (truncate("
                + options.partitionWidth()
                + ", id))");
        try (Statement statement = source.createStatement()) {
          statement.execute(SyntheticPartition.createTable("orders"));
          statement.execute(SyntheticPartition.insert("orders", options.rows(), options.seed()));
        }
        Table table = session.table("bench.orders");
        long start = System.nanoTime();
        List<DataFile> data =
            RangeLoad.load(
                source,
                "SELECT * FROM orders",
                table,
                options.rows(),
                options.partitionWidth(),
                dir.resolve("staging"));
        table.refresh();
        List<DeleteFile> positions = new ArrayList<>();
        long positionCount = 0;
        for (DataFile file : data) {
          long[] deleted = positions(file);
          positionCount += deleted.length;
          positions.add(positionDeletes(table, file, deleted));
        }
        List<DeleteFile> equalities = equalityDeletes(table);
        RowDelta delta = table.newRowDelta();
        positions.forEach(delta::addDeletes);
        equalities.forEach(delta::addDeletes);
        delta.commit();
        progress.printf(
            "Wrote %d data files, %,d deleted positions and %,d deleted ids in %.1f s%n",
            data.size(),
            positionCount,
            options.equalityDeletes(),
            (System.nanoTime() - start) / 1e9);
        createBaselineView(baseline, data, positions, equalities);
        List<Figures> figures = new ArrayList<>();
        for (String[] query : queries(lookupId(baseline))) {
          figures.add(measure(query[0], query[1], session, baseline));
        }
        return new Result(
            options,
            machine,
            data.size(),
            data.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
            positionCount,
            positions.size(),
            options.equalityDeletes(),
            equalities.size(),
            liveRows(session),
            figures);
      }
    } finally {
      WorkFiles.deleteTree(dir);
    }
  }

  private static long liveRows(IcecapSession session) throws SQLException {
    try (ResultSet result = session.query("SELECT count(*) FROM bench.orders")) {
      result.next();
      return result.getLong(1);
    }
  }

  /** The first id from one the seed gives that no delete removed. */
  private long lookupId(Connection baseline) throws SQLException {
    long from = Math.floorMod(options.seed() * 7_919L + 12_345L, options.rows());
    try (Statement statement = baseline.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT coalesce(min(id), (SELECT min(id) FROM bench.orders)) FROM bench.orders"
                    + " WHERE id >= "
                    + from)) {
      result.next();
      return result.getLong(1);
    }
  }

  /** A full aggregate, a filtered aggregate and a point lookup of a row that is not deleted. */
  List<String[]> queries(long lookupId) {
    return List.of(
        new String[] {
          "full aggregate",
          "SELECT count(*) AS orders, sum(amount) AS amount, count(DISTINCT customer_id) AS"
              + " customers FROM bench.orders"
        },
        new String[] {
          "filtered aggregate",
          "SELECT active, count(*) AS orders, sum(amount) AS amount, round(avg(score), 6) AS score"
              + " FROM bench.orders WHERE order_date >= DATE '2024-01-01'"
              + " AND order_date < DATE '2024-04-01' GROUP BY active ORDER BY active"
        },
        new String[] {"point lookup", "SELECT * FROM bench.orders WHERE id = " + lookupId});
  }

  /** Every {@code positionEvery}-th row of the file, from an offset the seed gives. */
  private long[] positions(DataFile file) {
    long offset =
        Math.floorMod(options.seed() + file.location().hashCode(), options.positionEvery());
    List<Long> deleted = new ArrayList<>();
    for (long position = offset;
        position < file.recordCount();
        position += options.positionEvery()) {
      deleted.add(position);
    }
    return deleted.stream().mapToLong(Long::longValue).toArray();
  }

  private static DeleteFile positionDeletes(Table table, DataFile file, long[] positions)
      throws IOException {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    PositionDeleteWriter<Record> writer =
        factory.newPosDeleteWriter(
            output(table, file.partition()), FileFormat.PARQUET, file.partition());
    try (writer) {
      PositionDelete<Record> delete = PositionDelete.create();
      for (long position : positions) {
        writer.write(delete.set(file.location(), position, null));
      }
    }
    return writer.toDeleteFile();
  }

  /** Equality deletes of ids spread over the table, one file per partition. */
  private List<DeleteFile> equalityDeletes(Table table) throws IOException {
    TreeMap<Long, TreeSet<Long>> byPartition = new TreeMap<>();
    long step = Math.max(1, options.rows() / Math.max(1, options.equalityDeletes()));
    long offset = Math.floorMod(options.seed() * 31, step);
    for (long i = 0, id = offset; i < options.equalityDeletes() && id < options.rows(); i++) {
      byPartition
          .computeIfAbsent(
              id / options.partitionWidth() * options.partitionWidth(), k -> new TreeSet<>())
          .add(id);
      id += step;
    }
    Schema keys = table.schema().select("id");
    int[] ids = {keys.findField("id").fieldId()};
    GenericAppenderFactory factory =
        new GenericAppenderFactory(table.schema(), table.spec(), ids, keys, null);
    List<DeleteFile> files = new ArrayList<>();
    for (var partition : byPartition.entrySet()) {
      GenericRecord key = GenericRecord.create(table.spec().partitionType());
      key.set(0, partition.getKey());
      EqualityDeleteWriter<Record> writer =
          factory.newEqDeleteWriter(output(table, key), FileFormat.PARQUET, key);
      try (writer) {
        GenericRecord row = GenericRecord.create(keys);
        for (long id : partition.getValue()) {
          row.set(0, id);
          writer.write(row);
        }
      }
      files.add(writer.toDeleteFile());
    }
    return files;
  }

  private static EncryptedOutputFile output(Table table, StructLike partition) {
    return EncryptedFiles.plainAsEncryptedOutput(
        table
            .io()
            .newOutputFile(
                table
                    .locationProvider()
                    .newDataLocation(
                        table.spec(), partition, UUID.randomUUID() + "-deletes.parquet")));
  }

  /**
   * The view one writes by hand in DuckDB: the data files with their file names and row numbers,
   * anti-joined with the position delete files on both and with the equality delete files on id.
   */
  private static void createBaselineView(
      Connection baseline,
      List<DataFile> data,
      List<DeleteFile> positions,
      List<DeleteFile> equalities)
      throws SQLException {
    try (Statement statement = baseline.createStatement()) {
      statement.execute("CREATE SCHEMA bench");
      statement.execute(
          "CREATE VIEW bench.orders AS SELECT d.* EXCLUDE (filename, file_row_number) FROM"
              + " read_parquet("
              + list(data.stream().map(DataFile::location).toList())
              + ", filename = true, file_row_number = true, hive_partitioning = false) AS d"
              + " ANTI JOIN read_parquet("
              + list(positions.stream().map(DeleteFile::location).toList())
              + ") AS p ON d.filename = p.file_path AND d.file_row_number = p.pos"
              + (equalities.isEmpty()
                  ? ""
                  : " ANTI JOIN read_parquet("
                      + list(equalities.stream().map(DeleteFile::location).toList())
                      + ") AS e ON d.id = e.id"));
    }
  }

  private static String list(List<String> locations) {
    List<String> literals = new ArrayList<>();
    for (String location : locations) {
      literals.add(DuckDbTypes.literal(Path.of(location.replaceFirst("^file:", "")).toString()));
    }
    return "[" + String.join(", ", literals) + "]";
  }

  private Figures measure(String name, String sql, IcecapSession session, Connection baseline)
      throws Exception {
    progress.printf("Measuring %s%n", name);
    int runs = options.warmups() + options.repetitions();
    long[] icecap = new long[options.repetitions()];
    long[] duckdb = new long[options.repetitions()];
    List<String> expected = null;
    for (int run = 0; run < runs; run++) {
      int measured = run - options.warmups();
      for (int turn = 0; turn < 2; turn++) {
        int side = (run + turn) % 2;
        long start = System.nanoTime();
        List<String> rows;
        if (side == 0) {
          rows = rows(session.query(sql));
        } else {
          try (Statement statement = baseline.createStatement()) {
            rows = rows(statement.executeQuery(sql));
          }
        }
        long nanos = System.nanoTime() - start;
        if (expected == null) {
          expected = rows;
        } else if (!expected.equals(rows)) {
          throw new IllegalStateException(
              String.format(
                  "%s returned different rows on %s: %s, before %s",
                  name, side == 0 ? "Icecap" : "DuckDB", rows, expected));
        }
        if (measured >= 0) {
          (side == 0 ? icecap : duckdb)[measured] = nanos;
        }
      }
    }
    if (expected.isEmpty()) {
      throw new IllegalStateException(name + " returned no rows: it measures nothing");
    }
    return new Figures(name, sql, icecap, duckdb, expected.size());
  }

  private static List<String> rows(ResultSet result) throws SQLException {
    try (result) {
      ResultSetMetaData meta = result.getMetaData();
      List<String> rows = new ArrayList<>();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.append(i == 1 ? "" : "|").append(result.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    }
  }
}
