package io.icecap.worker;

import io.icecap.catalog.RedisCatalog;
import io.icecap.catalog.RedisCatalogProperties;
import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3Endpoint;
import io.icecap.txn.CommitToken;
import io.icecap.txn.Orchestrator;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.log.TransactionLog;
import io.icecap.txn.validate.ValidationLimits;
import io.icecap.worker.function.FunctionSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The write path on a warehouse in an S3-API server, as the serverless mode runs it: a catalog
 * {@code test} with a namespace {@code db} on a fresh Redis and a fresh bucket, its transaction
 * log, and an orchestrator that hands apply jobs to the invoker under test.
 */
public final class S3WritePath implements AutoCloseable {
  /** The schema of the tables {@link #createItems} makes: {@code id long, v string}. */
  public static final Schema ITEMS =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "v", Types.StringType.get()));

  /** The catalog's properties: Redis, warehouse and the S3 FileIO's settings. */
  public final Map<String, String> properties;

  public final RedisCatalog catalog;
  public final TransactionLog logs;
  public final Invoker invoker;
  public final Orchestrator orchestrator;
  private final TestingWritePath path;

  private S3WritePath(TestingWritePath path) {
    this.path = path;
    this.properties = path.properties;
    this.catalog = path.catalog;
    this.logs = path.logs;
    this.invoker = path.invoker;
    this.orchestrator = path.orchestrator;
  }

  /**
   * Starts the write path on an emptied Redis and a new bucket.
   *
   * @param invokers makes the invoker the orchestrator dispatches to, from the catalog's
   *     properties; it may return {@link #NO_INVOKER}
   */
  public static S3WritePath start(
      RedisServerExtension redis,
      S3Endpoint s3,
      Path work,
      Function<Map<String, String>, Invoker> invokers) {
    String bucket = s3.createBucket("lake-" + UUID.randomUUID().toString().substring(0, 8));
    Map<String, String> fileIo = s3.fileIoProperties();
    String warehouse = "s3://" + bucket + "/warehouse";
    return new S3WritePath(
        TestingWritePath.start(
            redis,
            warehouse,
            fileIo,
            work,
            ValidationLimits.defaults(),
            (catalog, logs) -> {
              Map<String, String> properties = new LinkedHashMap<>(fileIo);
              properties.put(RedisCatalogProperties.URI, redis.server().uri());
              properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
              return invokers.apply(Map.copyOf(properties));
            }));
  }

  /** An invoker that runs nothing: the test runs its jobs itself. */
  public static final Invoker NO_INVOKER = TestingWritePath.NO_INVOKER;

  /** The environment variables of a worker function on this write path. */
  public Map<String, String> functionEnv(Path workDir) {
    return functionEnv(properties, workDir);
  }

  /** The environment variables of a worker function on a catalog with these properties. */
  public static Map<String, String> functionEnv(Map<String, String> properties, Path workDir) {
    Map<String, String> env =
        new LinkedHashMap<>(FunctionSettings.environment("test", properties, workDir));
    env.put("ICECAP_CACHE_BYTES", String.valueOf(256L << 20));
    env.put("ICECAP_LEASE_MS", "2000");
    env.put("ICECAP_PARTITION_THREADS", "2");
    return env;
  }

  /** Creates a table of {@link #ITEMS} in 4 buckets of {@code id}. */
  public Table createItems(TableIdentifier table) {
    return catalog
        .buildTable(table, ITEMS)
        .withPartitionSpec(PartitionSpec.builderFor(ITEMS).bucket("id", 4).build())
        .create();
  }

  /** Submits a one-row insert; returns its token once it is acknowledged. */
  public CommitToken insert(TableIdentifier table, long id) {
    return orchestrator.submit(
        table,
        List.of(
            SqlStatement.of(
                "INSERT INTO " + table.name() + " (id, v) VALUES (?, ?)", id, "v" + id)));
  }

  /** The table's {@code id,v} rows as Iceberg's own reader returns them, sorted. */
  public List<String> rows(TableIdentifier table) {
    return TestingWritePath.rows(catalog.loadTable(table), "id", "v");
  }

  /** The rows a table holds after {@code ids} were inserted once each. */
  public static List<String> expectedRows(java.util.stream.LongStream ids) {
    return ids.mapToObj(id -> id + ",v" + id).sorted().toList();
  }

  @Override
  public void close() {
    path.close();
  }
}
