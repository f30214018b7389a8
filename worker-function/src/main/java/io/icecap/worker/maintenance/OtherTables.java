package io.icecap.worker.maintenance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.LocationUtil;

/**
 * The directories of the catalog's other tables that lie inside a table's location. Tables nest:
 * table {@code a.x} at {@code <wh>/a/x} and table {@code a.x.y} at {@code <wh>/a/x/y}. A table
 * writes under its location and under the paths its properties name ({@code write.data.path},
 * {@code write.metadata.path}, ...): each of those inside the table's location is excluded from its
 * clean-up, and a table whose location lies inside a directory another table writes (table {@code
 * a.x.data} at {@code <wh>/a/x/data}, where {@code a.x} writes its data files) is refused, since
 * its files and the other table's cannot be told apart.
 */
final class OtherTables {
  private OtherTables() {}

  /**
   * Lists every table of the catalog (every namespace, recursively) and returns the locations,
   * without trailing slash, of those other than {@code table} that are inside its location.
   *
   * @throws IllegalStateException when the catalog cannot list its namespaces, a table's location
   *     cannot be read, another table has the very same location, or the table lies inside a
   *     directory another table writes; nothing may be deleted then
   */
  static List<String> under(
      Catalog catalog, Table table, MaintenanceTask task, MaintenanceProgress progress) {
    return under(catalog, table, task, progress, true);
  }

  /**
   * As {@link #under(Catalog, Table, MaintenanceTask, MaintenanceProgress)}; with {@code
   * refuseOverlap} false, a table inside a directory another table writes is not refused (for
   * clean-up of directories only Icecap writes, {@code icecap/duckdb} and {@code icecap/staged}).
   */
  static List<String> under(
      Catalog catalog,
      Table table,
      MaintenanceTask task,
      MaintenanceProgress progress,
      boolean refuseOverlap) {
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      throw new IllegalStateException(
          String.format(
              "Cannot delete orphan files of %s: catalog %s cannot list its namespaces, so the"
                  + " tables nested in the table's location cannot be found; nothing was deleted",
              table.name(), catalog.name()));
    }
    String location = LocationUtil.stripTrailingSlash(table.location());
    String key = StorageFiles.key(location);
    List<String> inside = new ArrayList<>();
    Deque<Namespace> pending = new ArrayDeque<>(namespaces.listNamespaces(Namespace.empty()));
    pending.add(Namespace.empty());
    long seen = 0;
    while (!pending.isEmpty()) {
      Namespace namespace = pending.poll();
      List<TableIdentifier> tables;
      try {
        if (!namespace.isEmpty()) {
          pending.addAll(namespaces.listNamespaces(namespace));
        }
        tables = catalog.listTables(namespace);
      } catch (NoSuchNamespaceException e) {
        continue; // dropped while listed: it holds no table
      } catch (RuntimeException e) {
        throw refused(table, "namespace " + namespace, e);
      }
      for (TableIdentifier identifier : tables) {
        String other;
        List<String> writes;
        try {
          Table loaded = catalog.loadTable(identifier);
          if (loaded.uuid().equals(table.uuid())) {
            continue;
          }
          other = LocationUtil.stripTrailingSlash(loaded.location());
          writes = writtenDirectories(other, loaded.properties());
        } catch (NoSuchTableException e) {
          continue; // dropped while listed; with purge its files went with it
        } catch (RuntimeException e) {
          throw refused(table, "table " + identifier, e);
        }
        String otherKey = StorageFiles.key(other);
        if (otherKey.equals(key)) {
          throw new IllegalStateException(
              String.format(
                  "Cannot delete orphan files of %s: table %s has the same location %s, and their"
                      + " files cannot be told apart; nothing was deleted",
                  table.name(), identifier, location));
        }
        if (otherKey.startsWith(key + "/")) {
          inside.add(other);
        }
        for (String written : writes) {
          String writtenKey = StorageFiles.key(written);
          if (writtenKey.startsWith(key + "/")) {
            inside.add(written);
          } else if (refuseOverlap
              && (key.equals(writtenKey) || key.startsWith(writtenKey + "/"))) {
            throw new IllegalStateException(
                String.format(
                    "Cannot delete orphan files of %s: its location %s lies where table %s writes"
                        + " its files (%s), and their files cannot be told apart; nothing was"
                        + " deleted. Move one of the tables to a location of its own",
                    table.name(), location, identifier, written));
          }
        }
        progress.progress(task, "listing tables", ++seen, -1);
      }
    }
    return inside;
  }

  /** The directories a table writes files into besides its location's own files. */
  private static List<String> writtenDirectories(String location, Map<String, String> properties) {
    List<String> directories = new ArrayList<>();
    directories.add(location + "/data");
    directories.add(location + "/metadata");
    directories.add(location + "/icecap");
    for (String property :
        List.of(
            TableProperties.WRITE_DATA_LOCATION,
            TableProperties.WRITE_METADATA_LOCATION,
            TableProperties.OBJECT_STORE_PATH,
            TableProperties.WRITE_FOLDER_STORAGE_LOCATION)) {
      String value = properties.get(property);
      if (value != null && !value.isBlank()) {
        directories.add(LocationUtil.stripTrailingSlash(value.trim()));
      }
    }
    return directories;
  }

  private static IllegalStateException refused(Table table, String what, RuntimeException e) {
    return new IllegalStateException(
        String.format(
            "Cannot delete orphan files of %s: cannot read %s of the catalog (%s), so a table"
                + " nested in its location may be missed; nothing was deleted",
            table.name(), what, e.getMessage()),
        e);
  }
}
