package io.icecap.replica;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.TableProperties;

/**
 * How a partition's rows are written as Parquet: row group size, target file size (a partition
 * above it becomes several files) and compression codec.
 *
 * @param rowGroupRows the most rows in one row group
 * @param rowGroupBytes the target size of one row group, in bytes
 * @param targetFileBytes the size above which a new file is started, in bytes
 * @param compression the codec: zstd, snappy, gzip, lz4 or uncompressed
 */
public record ParquetWriteOptions(
    long rowGroupRows, long rowGroupBytes, long targetFileBytes, String compression) {
  /** The table property for {@link #rowGroupRows}, an Icecap extension of Iceberg's properties. */
  public static final String ROW_GROUP_ROWS = "icecap.parquet.row-group-rows";

  public static final long ROW_GROUP_ROWS_DEFAULT = 122_880;

  private static final Set<String> CODECS = Set.of("zstd", "snappy", "gzip", "lz4", "uncompressed");

  /** Checks every value; the messages name the setting. */
  public ParquetWriteOptions {
    positive(ROW_GROUP_ROWS, rowGroupRows);
    positive(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, rowGroupBytes);
    positive(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, targetFileBytes);
    compression = compression.toLowerCase(Locale.ROOT);
    if (!CODECS.contains(compression)) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid %s=%s: expected one of %s",
              TableProperties.PARQUET_COMPRESSION, compression, CODECS));
    }
  }

  /** The options a table's properties ask for, with Iceberg's defaults (zstd since 1.4). */
  public static ParquetWriteOptions forTable(Map<String, String> properties) {
    return new ParquetWriteOptions(
        number(properties, ROW_GROUP_ROWS, ROW_GROUP_ROWS_DEFAULT),
        number(
            properties,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT),
        number(
            properties,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT),
        properties.getOrDefault(
            TableProperties.PARQUET_COMPRESSION,
            TableProperties.PARQUET_COMPRESSION_DEFAULT_SINCE_1_4_0));
  }

  /** The same options with another target file size. */
  public ParquetWriteOptions withTargetFileBytes(long bytes) {
    return new ParquetWriteOptions(rowGroupRows, rowGroupBytes, bytes, compression);
  }

  private static long number(Map<String, String> properties, String key, long defaultValue) {
    String value = properties.get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format("Invalid %s=%s: expected a whole number", key, value), e);
    }
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          String.format("Invalid %s=%d: must be positive", key, value));
    }
  }
}
