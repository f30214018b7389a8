package io.icecap.worker.maintenance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.LocationUtil;

/** The locations of the catalog's other tables that lie inside a table's location. */
final class OtherTables {
  private OtherTables() {}

  /**
   * Lists every table of the catalog (every namespace, recursively) and returns the locations,
   * without trailing slash, of those other than {@code table} that are inside its location.
   *
   * @throws IllegalStateException when the catalog cannot list its namespaces, a table's location
   *     cannot be read, or another table has the very same location; nothing may be deleted then
   */
  static List<String> under(
      Catalog catalog, Table table, MaintenanceTask task, MaintenanceProgress progress) {
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
        try {
          Table loaded = catalog.loadTable(identifier);
          if (loaded.uuid().equals(table.uuid())) {
            continue;
          }
          other = LocationUtil.stripTrailingSlash(loaded.location());
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
        progress.progress(task, "listing tables", ++seen, -1);
      }
    }
    return inside;
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
