package io.icecap.cli;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;
import redis.embedded.RedisServer;

/**
 * The quickstart: an embedded Redis and a local warehouse, a partitioned table created, written,
 * read and time-travelled through the Redis catalog, and two writers racing on one table.
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

  Demo(PrintStream out, boolean keep) {
    this.out = requireNonNull(out, "out is null");
    this.keep = keep;
  }

  void run() throws IOException {
    Path home = Files.createTempDirectory("icecap-demo-");
    Path redisData = Files.createDirectories(home.resolve("redis"));
    Path warehouse = Files.createDirectories(home.resolve("warehouse"));
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
    record.setField("amount", new java.math.BigDecimal(amount + ".50"));
    return record;
  }

  /** Writes rows as Avro data files, one per partition. */
  private static List<DataFile> write(Table table, List<Record> rows) throws IOException {
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    Map<PartitionKey, List<Record>> byPartition = new java.util.LinkedHashMap<>();
    for (Record row : rows) {
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(wrapper.wrap(row));
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    List<DataFile> files = new ArrayList<>();
    for (Map.Entry<PartitionKey, List<Record>> entry : byPartition.entrySet()) {
      String path =
          table
              .locationProvider()
              .newDataLocation(table.spec(), entry.getKey(), UUID.randomUUID() + ".avro");
      DataWriter<Record> writer =
          factory.newDataWriter(
              EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(path)),
              FileFormat.AVRO,
              entry.getKey());
      try (writer) {
        entry.getValue().forEach(writer::write);
      }
      files.add(writer.toDataFile());
    }
    return files;
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
