package io.icecap.client;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * How a session reads table names: {@code t} is in the session's default namespace, {@code ns.t} in
 * {@code ns}, and a leading name equal to the catalog's is dropped ({@code icecap.ns.t}).
 */
final class TableNames {
  private final String catalogName;
  private String defaultNamespace;

  TableNames(String catalogName, String defaultNamespace) {
    this.catalogName = catalogName;
    this.defaultNamespace = defaultNamespace;
  }

  String defaultNamespace() {
    return defaultNamespace;
  }

  void setDefaultNamespace(String namespace) {
    this.defaultNamespace = namespace;
  }

  String catalogName() {
    return catalogName;
  }

  /** The table a dotted name (its parts, unquoted) names. */
  TableIdentifier identifier(List<String> parts) {
    if (parts.size() == 1) {
      if (defaultNamespace == null) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_TABLE,
            "Table %s has no namespace: write it as <namespace>.%s, or set a default namespace",
            parts.get(0),
            parts.get(0));
      }
      return TableIdentifier.of(Namespace.of(defaultNamespace), parts.get(0));
    }
    List<String> levels = new ArrayList<>(parts.subList(0, parts.size() - 1));
    if (levels.size() > 1 && levels.get(0).equalsIgnoreCase(catalogName)) {
      levels.remove(0);
    }
    return TableIdentifier.of(
        Namespace.of(levels.toArray(String[]::new)), parts.get(parts.size() - 1));
  }
}
