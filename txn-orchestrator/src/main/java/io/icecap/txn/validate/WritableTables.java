package io.icecap.txn.validate;

import io.icecap.catalog.NameCase;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;

/**
 * Which tables Icecap writes, checked at submit (the transaction is refused) and by every worker (a
 * record of a table that has changed since it was acknowledged is aborted), so that a write is
 * never acknowledged and then left pending.
 *
 * <p>Format version 3 tables are not written: v3 requires row lineage, and a checkpoint rewrites a
 * partition's rows into new files, which without the rows' {@code _row_id} and {@code
 * _last_updated_sequence_number} would give every rewritten row a new identity. Nor are tables
 * whose columns differ only in case (made before the catalog refused such schemas), which DuckDB
 * cannot hold.
 */
public final class WritableTables {
  /** The highest Iceberg format version Icecap writes. */
  public static final int MAX_FORMAT_VERSION = 2;

  private WritableTables() {}

  /** Why Icecap cannot write {@code table}, or empty when it can. */
  public static Optional<String> problem(Table table) {
    int version = TableUtil.formatVersion(table);
    if (version > MAX_FORMAT_VERSION) {
      return Optional.of(
          String.format(
              "table %s is an Iceberg format version %d table, and Icecap does not write format"
                  + " version %d yet: it would have to keep the row lineage (_row_id and"
                  + " _last_updated_sequence_number) of every row it rewrites. Write it with"
                  + " another engine, or create the table with format-version=%d to write it"
                  + " with Icecap",
              table.name(), version, version, MAX_FORMAT_VERSION));
    }
    Optional<List<String>> clash = NameCase.columnClash(table.schema());
    if (clash.isPresent()) {
      return Optional.of(
          String.format(
              "its columns %s and %s differ only in case, which DuckDB cannot tell apart; rename"
                  + " one of them first (ALTER TABLE %s RENAME COLUMN ... TO ...)",
              clash.get().get(0), clash.get().get(1), table.name()));
    }
    return Optional.empty();
  }
}
