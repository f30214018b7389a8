package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.io.LocalFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.NullOrder;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortDirection;
import org.apache.iceberg.SortField;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.transforms.Transform;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a partition's rows, held in DuckDB, as Parquet data files of an Iceberg table.
 *
 * <p>DuckDB writes the files into a local staging directory with every column's Iceberg field id
 * ({@code FIELD_IDS}); their metrics are read back with iceberg-parquet under the table's metrics
 * config, and they are uploaded through the table's FileIO. The returned {@link DataFile}s are not
 * committed: that is the caller's one Iceberg commit. On failure, nothing uploaded is left behind.
 */
public final class ParquetReplicaWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetReplicaWriter.class);

  private final Path workDir;
  private final String namePrefix;

  /**
   * Creates a writer that stages files under {@code workDir}.
   *
   * @param workDir a local directory for staging files; it must exist
   */
  public ParquetReplicaWriter(Path workDir) {
    this(workDir, "");
  }

  /**
   * Creates a writer that stages files under {@code workDir} and starts the name of every file it
   * uploads with {@code namePrefix} (an apply job's fencing token, so that clean-up can tell the
   * files of a running job).
   *
   * @param workDir a local directory for staging files; it must exist
   * @param namePrefix letters, digits, {@code -} and {@code _} only; may be empty
   */
  public ParquetReplicaWriter(Path workDir, String namePrefix) {
    this.workDir = requireNonNull(workDir, "workDir is null");
    requireNonNull(namePrefix, "namePrefix is null");
    if (!namePrefix.matches("[A-Za-z0-9_-]*")) {
      throw new IllegalArgumentException(
          "A data file name prefix may hold letters, digits, - and _ only: " + namePrefix);
    }
    this.namePrefix = namePrefix;
  }

  /** Writes with the options of the table's properties. */
  public List<DataFile> write(
      Connection duckdb, String relation, Table table, StructLike partition) {
    return write(
        duckdb, relation, table, partition, ParquetWriteOptions.forTable(table.properties()));
  }

  /**
   * Writes the rows of a DuckDB relation as data files of one partition of a table.
   *
   * @param duckdb the connection that can read {@code relation}
   * @param relation a table or view name, or a parenthesized query, whose columns are exactly the
   *     table schema's (checked by name and type)
   * @param table the Iceberg table; its schema, spec, metrics config, FileIO and location provider
   *     are used
   * @param partition the partition's values, or null for an unpartitioned table
   * @return one data file per written Parquet file (none for an empty relation)
   * @throws ReplicaException when the relation does not match the schema or DuckDB fails
   */
  public List<DataFile> write(
      Connection duckdb,
      String relation,
      Table table,
      StructLike partition,
      ParquetWriteOptions options) {
    PartitionSpec spec = table.spec();
    if (spec.isPartitioned() && partition == null) {
      throw new IllegalArgumentException(
          String.format("Cannot write to table %s: it is partitioned, give a partition", table));
    }
    Path staging = createStaging();
    List<DataFile> written = new ArrayList<>();
    try {
      RelationSchema.verify(duckdb, relation, table.schema(), "DuckDB relation " + relation);
      RequiredFieldCheck.verify(duckdb, relation, table);
      copy(duckdb, relation, table, options, staging);
      MetricsConfig metricsConfig = MetricsConfig.forTable(table);
      for (Path file : stagedFiles(staging)) {
        Metrics metrics =
            ParquetUtil.fileMetrics(
                org.apache.iceberg.Files.localInput(file.toFile()), metricsConfig);
        if (metrics.recordCount() == 0) {
          continue;
        }
        metrics = NanCounts.addTo(duckdb, file, table.schema(), metricsConfig, metrics);
        String fileName = namePrefix + UUID.randomUUID() + ".parquet";
        String location =
            spec.isPartitioned()
                ? table.locationProvider().newDataLocation(spec, partition, fileName)
                : table.locationProvider().newDataLocation(fileName);
        long size = upload(file, table.io(), location);
        DataFiles.Builder builder =
            DataFiles.builder(spec)
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(size)
                .withMetrics(metrics);
        if (spec.isPartitioned()) {
          builder.withPartition(partition);
        }
        written.add(builder.build());
      }
      return written;
    } catch (SQLException e) {
      deleteQuietly(table.io(), written);
      throw new ReplicaException(
          e,
          "Cannot write DuckDB relation %s as Parquet for table %s: %s",
          relation,
          table,
          e.getMessage());
    } catch (RuntimeException e) {
      deleteQuietly(table.io(), written);
      throw e;
    } finally {
      deleteTree(staging);
    }
  }

  private static void copy(
      Connection duckdb, String relation, Table table, ParquetWriteOptions options, Path staging)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Types.NestedField field : table.schema().columns()) {
      columns.add(DuckDbTypes.quote(field.name()));
    }
    String sql =
        String.format(
            "COPY (SELECT %s FROM %s%s) TO %s (FORMAT PARQUET, COMPRESSION %s, ROW_GROUP_SIZE %d,"
                + " ROW_GROUP_SIZE_BYTES %d, FILE_SIZE_BYTES %d, FILENAME_PATTERN 'data_{uuid}',"
                + " FIELD_IDS %s)",
            String.join(", ", columns),
            relation,
            orderBy(table),
            DuckDbTypes.literal(staging.toString()),
            options.compression(),
            options.rowGroupRows(),
            options.rowGroupBytes(),
            options.targetFileBytes(),
            DuckDbTypes.fieldIds(table.schema()));
    try (Statement statement = duckdb.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * The ORDER BY clause of the table's sort order, or nothing for an unsorted table. A field of the
   * identity transform, or of a transform that keeps the order of its source (year, month, day,
   * hour, truncate), is sorted by its source column, which sorts it by the transform's values too;
   * the sort stops at the first field of another transform (bucket) or whose source is not a
   * top-level column, so the files are sorted by the order's longest prefix DuckDB can compute.
   */
  static String orderBy(Table table) {
    SortOrder order = table.sortOrder();
    if (order == null || order.isUnsorted()) {
      return "";
    }
    List<String> terms = new ArrayList<>();
    for (SortField field : order.fields()) {
      Types.NestedField column =
          table.schema().columns().stream()
              .filter(c -> c.fieldId() == field.sourceId())
              .findFirst()
              .orElse(null);
      if (column == null || !keepsOrder(field.transform())) {
        break;
      }
      terms.add(
          DuckDbTypes.quote(column.name())
              + (field.direction() == SortDirection.DESC ? " DESC" : " ASC")
              + (field.nullOrder() == NullOrder.NULLS_FIRST ? " NULLS FIRST" : " NULLS LAST"));
    }
    return terms.isEmpty() ? "" : " ORDER BY " + String.join(", ", terms);
  }

  private static boolean keepsOrder(Transform<?, ?> transform) {
    if (transform.isIdentity()) {
      return true;
    }
    String name = transform.toString();
    return name.equals("year")
        || name.equals("month")
        || name.equals("day")
        || name.equals("hour")
        || name.startsWith("truncate[");
  }

  private static long upload(Path file, FileIO io, String location) {
    if (io instanceof LocalFileIO) {
      // a local warehouse takes the staged file itself, forced to disk, instead of a copy
      return ((LocalFileIO) io).adopt(file, location);
    }
    try (InputStream in = Files.newInputStream(file);
        PositionOutputStream out = io.newOutputFile(location).create()) {
      in.transferTo(out);
      out.flush();
      return out.getPos();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot upload " + file + " to " + location, e);
    }
  }

  private Path createStaging() {
    try {
      return Files.createTempDirectory(workDir, "parquet-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a staging directory under " + workDir, e);
    }
  }

  private static List<Path> stagedFiles(Path staging) {
    try (Stream<Path> files = Files.list(staging)) {
      return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list staged files in " + staging, e);
    }
  }

  private static void deleteQuietly(FileIO io, List<DataFile> files) {
    for (DataFile file : files) {
      try {
        io.deleteFile(file.location());
      } catch (RuntimeException e) {
        LOG.warn("Cannot delete uploaded file {} after a failed write", file.location(), e);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Cannot delete staging directory {}", root, e);
    }
  }
}
