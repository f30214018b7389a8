package io.icecap.client;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * What queries know of the tables, shared by the sessions of an environment. A table's metadata is
 * kept and refreshed for each query: one Redis read of its metadata pointer, and a read of the
 * metadata file only when the pointer moved. A snapshot's planned files are kept by snapshot and
 * filter: a snapshot never changes, so neither do the files a filter selects from it.
 */
final class TableCache {
  /** The most plans kept; the least recently used goes first. */
  static final int MAX_PLANS = 512;

  private final Catalog catalog;
  private final ConcurrentMap<TableIdentifier, Table> live = new ConcurrentHashMap<>();
  private final Map<String, List<FileScanTask>> plans =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<FileScanTask>> eldest) {
          return size() > MAX_PLANS;
        }
      };

  TableCache(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /**
   * The table as it is now, frozen: later commits do not change what the returned table reads.
   *
   * @throws NoSuchTableException when it does not exist
   */
  Table current(TableIdentifier identifier) {
    Table table = live.get(identifier);
    if (table != null) {
      try {
        synchronized (table) {
          table.refresh();
          return frozen(table);
        }
      } catch (NoSuchTableException e) {
        live.remove(identifier, table);
        throw e;
      } catch (RuntimeException e) {
        // dropped and created again under the name, say: load it afresh
        live.remove(identifier, table);
      }
    }
    table = catalog.loadTable(identifier);
    live.put(identifier, table);
    synchronized (table) {
      return frozen(table);
    }
  }

  /** Forgets a table after DDL changed or dropped it. */
  void forget(TableIdentifier identifier) {
    live.remove(identifier);
  }

  /** The planned files of a snapshot and filter, when planned before. */
  synchronized List<FileScanTask> plan(String key) {
    return plans.get(key);
  }

  synchronized void keepPlan(String key, List<FileScanTask> tasks) {
    plans.put(key, List.copyOf(tasks));
  }

  private static Table frozen(Table table) {
    if (!(table instanceof HasTableOperations hasOperations)) {
      return table;
    }
    TableOperations operations = hasOperations.operations();
    TableMetadata metadata = operations.current();
    return new BaseTable(new StaticTableOperations(metadata, operations.io()), table.name());
  }
}
