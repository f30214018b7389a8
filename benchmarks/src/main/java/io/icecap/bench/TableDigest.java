package io.icecap.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The rows of a table in two numbers, whatever their order and files: their count and the sum of a
 * 64-bit hash (FNV-1a) of each row's text. Two tables with the same digest hold the same rows, bar
 * a hash collision.
 *
 * @param rows the number of rows
 * @param checksum the sum of the rows' hashes
 */
record TableDigest(long rows, long checksum) {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /** The digest of rows, as they are added. */
  static final class Builder {
    private long rows;
    private long checksum;

    void add(Record row) {
      rows++;
      checksum += hash(row);
    }

    TableDigest build() {
      return new TableDigest(rows, checksum);
    }
  }

  /** Reads every row of the table's current snapshot with Iceberg's generic reader. */
  static TableDigest of(Table table) throws IOException {
    table.refresh();
    Builder digest = new Builder();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(digest::add);
    }
    return digest.build();
  }

  /** The hash of a row's text: its values in order, decimals without their trailing zeros. */
  static long hash(Record row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      if (value instanceof BigDecimal decimal) {
        value = decimal.stripTrailingZeros().toPlainString();
      }
      text.append(i == 0 ? "" : "|").append(value);
    }
    long hash = FNV_OFFSET;
    for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }
}
