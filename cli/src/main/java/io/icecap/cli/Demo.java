package io.icecap.cli;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.ParquetReplicaWriter;
import io.icecap.replica.PartitionImporter;
import io.icecap.replica.PartitionSql;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import redis.embedded.RedisServer;

/**
 * The quickstart: an embedded Redis and a local warehouse, a partitioned table created, written,
 * read and time-travelled through the Redis catalog, writes through the transaction log applied by
 * an in-process worker, and two writers racing on one table.
 */
final class Demo {
  private static final TableIdentifier ORDERS = TableIdentifier.of("shop", "orders");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.required(2, "ordered_at", Types.TimestampType.withoutZone()),
          Types.NestedField.required(3, "customer", Types.StringType.get()),
          Types.NestedField.required(4, "amount", Types.DecimalType.of(10, 2)));
  private static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("ordered_at").build();

  private final PrintStream out;
  private final boolean keep;
  private Path work;

  Demo(PrintStream out, boolean keep) {
    this.out = requireNonNull(out, "out is null");
    this.keep = keep;
  }

  void run() throws IOException {
    Path home = Files.createTempDirectory("icecap-demo-");
    Path redisData = Files.createDirectories(home.resolve("redis"));
    Path warehouse = Files.createDirectories(home.resolve("warehouse"));
    this.work = Files.createDirectories(home.resolve("work"));
    int port = freePort();
    RedisServer redis =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("dir " + redisData)
            .setting("appendonly yes")
            .setting("appendfsync always")
            .setting("save \"\"")
            .build();
    redis.start();
    String uri = "redis://127.0.0.1:" + port;
    out.printf("Embedded Redis on %s (AOF, appendfsync always), data in %s%n", uri, redisData);
    out.printf("Warehouse %s%n%n", warehouse);
    try (RedisCatalog catalog = catalog(uri, warehouse)) {
      tour(catalog, uri, warehouse);
    } finally {
      redis.stop();
      if (!keep) {
        deleteTree(home);
      } else {
        out.printf("%nKept %s%n", home);
      }
    }
  }

  private void tour(RedisCatalog catalog, String uri, Path warehouse) throws IOException {
    catalog.createNamespace(Namespace.of("shop"), Map.of("owner", "demo"));
    Table table = catalog.buildTable(ORDERS, SCHEMA).withPartitionSpec(SPEC).create();
    out.printf("Created table %s partitioned by %s at %s%n", table.name(), SPEC, table.location());

    long orderId = 1;
    LocalDateTime day = LocalDateTime.of(2026, 11, 18, 9, 0);
    for (int batch = 0; batch < 3; batch++) {
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rows.add(order(orderId++, day.plusDays(batch % 2).plusHours(i), "c" + (i % 3), 10 + i));
      }
      List<DataFile> files = write(table, rows);
      var append = table.newAppend();
      files.forEach(append::appendFile);
      append.commit();
    }
    table.refresh();

    out.printf("%nSnapshots (each one compare-and-swap of the pointer in Redis):%n");
    out.printf("  %-20s %-10s %-12s %s%n", "snapshot", "operation", "added files", "total rows");
    for (Snapshot snapshot : table.snapshots()) {
      out.printf(
          "  %-20d %-10s %-12s %s%n",
          snapshot.snapshotId(),
          snapshot.operation(),
          snapshot.summary().get("added-data-files"),
          snapshot.summary().get("total-records"));
    }

    out.printf("%nRows per day in the latest snapshot:%n");
    countPerDay(IcebergGenerics.read(table).build())
        .forEach((d, n) -> out.printf("  %s  %d rows%n", d, n));

    out.printf("%nOrders of customer c1 (filter pushed into the scan):%n");
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).where(Expressions.equal("customer", "c1")).build()) {
      for (Record row : rows) {
        out.printf(
            "  #%d  %s  %s%n",
            row.getField("order_id"), row.getField("ordered_at"), row.getField("amount"));
      }
    }

    Snapshot first = firstSnapshot(table);
    out.printf("%nTime travel to the first snapshot %d:%n", first.snapshotId());
    countPerDay(IcebergGenerics.read(table).useSnapshot(first.snapshotId()).build())
        .forEach((d, n) -> out.printf("  %s  %d rows%n", d, n));

    try {
      new WritePathTour(
              out,
              catalog,
              Map.of(
                  RedisCatalogProperties.URI,
                  uri,
                  CatalogProperties.WAREHOUSE_LOCATION,
                  warehouse.toString()),
              work)
          .run(ORDERS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("The demo's writes were not applied in time", e);
    }

    replicas(catalog.loadTable(ORDERS));

    raceTwoWriters(catalog, uri, warehouse);

    out.printf("%nRedis keys of the catalog:%n");
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().keys("icecap:*").stream()
          .sorted()
          .forEach(key -> out.printf("  %s%n", key));
      out.printf(
          "  %s -> %s%n",
          catalog.keys().tableMeta(ORDERS),
          connection.sync().hget(catalog.keys().tableMeta(ORDERS), "metadata_location"));
    } finally {
      client.shutdown();
    }
  }

  /** Two catalogs, as two processes would be, append to one table at once; both land. */
  private void raceTwoWriters(RedisCatalog catalog, String uri, Path warehouse) throws IOException {
    Table writerA = catalog.loadTable(ORDERS);
    try (RedisCatalog other = catalog(uri, warehouse)) {
      Table writerB = other.loadTable(ORDERS);
      LocalDateTime day = LocalDateTime.of(2026, 11, 20, 12, 0);
      var appendA = writerA.newAppend();
      write(writerA, List.of(order(100, day, "a", 1))).forEach(appendA::appendFile);
      var appendB = writerB.newAppend();
      write(writerB, List.of(order(200, day, "b", 2))).forEach(appendB::appendFile);
      appendA.commit();
      appendB.commit(); // its base is stale: the swap fails, Iceberg retries on the new base
    }
    Table table = catalog.loadTable(ORDERS);
    long rows;
    try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
      rows = 0;
      for (Record ignored : all) {
        rows++;
      }
    }
    out.printf(
        "%nTwo writers raced on %s: both commits landed, %d snapshots, %d rows%n",
        ORDERS, count(table.snapshots()), rows);
  }

  private static RedisCatalog catalog(String uri, Path warehouse) {
    RedisCatalog catalog = new RedisCatalog();
    catalog.initialize(
        "demo",
        Map.of(
            RedisCatalogProperties.URI,
            uri,
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toString()));
    return catalog;
  }

  private static Record order(long id, LocalDateTime at, String customer, int amount) {
    GenericRecord record = GenericRecord.create(SCHEMA);
    record.setField("order_id", id);
    record.setField("ordered_at", at);
    record.setField("customer", customer);
    record.setField("amount", new BigDecimal(amount + ".50"));
    return record;
  }

  /**
   * Writes rows the way Icecap's workers do: into DuckDB, then each partition's rows as Parquet
   * data files with Iceberg field ids and metrics (the partition computed by Iceberg's transforms
   * inside DuckDB).
   */
  private List<DataFile> write(Table table, List<Record> rows) throws IOException {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      statement.execute(
          "CREATE TABLE batch (" + DuckDbTypes.columnDefinitions(table.schema()) + ")");
      try (PreparedStatement insert =
          duckdb.prepareStatement("INSERT INTO batch VALUES (?, ?, ?, ?)")) {
        for (Record row : rows) {
          insert.setLong(1, (Long) row.getField("order_id"));
          insert.setTimestamp(2, Timestamp.valueOf((LocalDateTime) row.getField("ordered_at")));
          insert.setString(3, (String) row.getField("customer"));
          insert.setBigDecimal(4, (BigDecimal) row.getField("amount"));
          insert.executeUpdate();
        }
      }
      PartitionSql partitions = PartitionSql.register(duckdb, table.spec());
      ParquetReplicaWriter writer = new ParquetReplicaWriter(work);
      List<DataFile> files = new ArrayList<>();
      for (PartitionData partition : partitions.partitions(duckdb, "batch")) {
        String relation = "(SELECT * FROM batch WHERE " + partitions.predicate(partition) + ")";
        files.addAll(writer.write(duckdb, relation, table, partition));
      }
      return files;
    } catch (SQLException e) {
      throw new IOException("Cannot write the demo rows through DuckDB: " + e.getMessage(), e);
    }
  }

  /** A partition's DuckDB replica, rebuilt from the table's Parquet files, and plain Parquet. */
  private void replicas(Table table) throws IOException {
    PartitionKey day = new PartitionKey(table.spec(), table.schema());
    day.partition(
        new InternalRecordWrapper(table.schema().asStruct())
            .wrap(order(0, LocalDateTime.of(2026, 11, 18, 0, 0), "", 0)));
    Path file = work.resolve("replica.duckdb");
    try (DuckDbReplica replica =
            new PartitionImporter(work).importPartition(table, table.currentSnapshot(), day, file);
        Statement statement = replica.connection().createStatement();
        ResultSet summary =
            statement.executeQuery("SELECT count(*), sum(amount) FROM " + DuckDbReplica.ROWS)) {
      summary.next();
      out.printf(
          "%nDuckDB replica of partition %s, built from the table's Parquet files: %d rows,"
              + " amount %s (state: snapshot %d)%n",
          replica.state().partitionPath(),
          summary.getLong(1),
          summary.getBigDecimal(2),
          replica.state().snapshotId());
    } catch (SQLException e) {
      throw new IOException("Cannot query the DuckDB replica: " + e.getMessage(), e);
    }

    List<String> locations = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> locations.add(DuckDbTypes.literal(task.file().location())));
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet counted =
            statement.executeQuery(
                "SELECT count(*) FROM read_parquet([" + String.join(", ", locations) + "])")) {
      counted.next();
      out.printf(
          "Plain DuckDB read_parquet over the table's %d Parquet files: %d rows%n",
          locations.size(), counted.getLong(1));
    } catch (SQLException e) {
      throw new IOException("Cannot read the Parquet files with DuckDB: " + e.getMessage(), e);
    }
  }

  private static Map<String, Integer> countPerDay(CloseableIterable<Record> rows)
      throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    try (rows) {
      for (Record row : rows) {
        String day = ((LocalDateTime) row.getField("ordered_at")).toLocalDate().toString();
        counts.merge(day, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Snapshot firstSnapshot(Table table) {
    Snapshot first = null;
    for (Snapshot snapshot : table.snapshots()) {
      if (first == null || snapshot.sequenceNumber() < first.sequenceNumber()) {
        first = snapshot;
      }
    }
    return first;
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException("Cannot delete " + path, e);
                }
              });
    }
  }
}
