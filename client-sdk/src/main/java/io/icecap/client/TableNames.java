package io.icecap.client;

import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * How a session reads table names. A name's last part is the table and the parts before it its
 * namespace, one level each: {@code t} is in the session's default namespace, {@code ns.t} in
 * {@code ns}, {@code a.b.t} in the nested namespace {@code a.b}. One rule resolves the ambiguity of
 * three parts or more: a leading part equal to the catalog's name (ignoring case, as DuckDB
 * compares catalog names) is the catalog and is dropped, so {@code icecap.ns.t} is {@code ns.t} in
 * catalog {@code icecap}, and a namespace whose first level is named like the catalog is written
 * with the catalog's name before it ({@code icecap.icecap.ns.t}). Schema names follow the same rule
 * ({@code CREATE SCHEMA icecap.ns} creates {@code ns}). A default namespace is written with its
 * levels joined by dots, as JDBC's metadata shows a nested namespace ({@code lake.raw}); a quoted
 * level holding dots ({@code "lake.raw".t}) names the nested namespace when no one-level namespace
 * of that name exists.
 */
final class TableNames {
  private final String catalogName;
  private final Predicate<Namespace> exists;
  private String defaultNamespace;

  /**
   * @param exists whether the catalog has a namespace: asked only of a name whose levels hold dots,
   *     to tell {@code "a.b"} (one level) from {@code a.b} (two)
   */
  TableNames(String catalogName, String defaultNamespace, Predicate<Namespace> exists) {
    this.catalogName = catalogName;
    this.defaultNamespace = defaultNamespace;
    this.exists = exists;
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

  /** The namespace a dotted name such as {@code a.b} names: one level per part. */
  static Namespace namespace(String dotted) {
    return Namespace.of(dotted.split("\\.", -1));
  }

  /**
   * The namespace meant by levels that hold dots, as tools write a nested namespace they were shown
   * as {@code lake.raw} ({@code "lake.raw".t}), or a default namespace {@code a.b} meant as one
   * level: the namespace as written when the catalog has it, else the one with every dot a level
   * boundary (or, for a dotted default, the one level) when the catalog has that, else as written.
   */
  private Namespace resolve(Namespace written, Namespace other) {
    if (written.equals(other) || exists.test(written) || !exists.test(other)) {
      return written;
    }
    return other;
  }

  private static Namespace split(Namespace namespace) {
    return namespace(String.join(".", namespace.levels()));
  }

  /**
   * The namespace a schema name (its parts, unquoted) names: one level per part, after the
   * catalog's name when it leads a name of two parts or more, as in table names.
   */
  Namespace namespace(List<String> parts) {
    List<String> levels = new ArrayList<>(parts);
    if (levels.size() > 1 && levels.get(0).equalsIgnoreCase(catalogName)) {
      levels.remove(0);
    }
    return Namespace.of(levels.toArray(String[]::new));
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
      Namespace nested = namespace(defaultNamespace);
      return TableIdentifier.of(resolve(nested, Namespace.of(defaultNamespace)), parts.get(0));
    }
    Namespace written = namespace(parts.subList(0, parts.size() - 1));
    return TableIdentifier.of(resolve(written, split(written)), parts.get(parts.size() - 1));
  }

  /**
   * The table a name given as text names: its parts separated by dots, each written plainly or,
   * when it holds a dot or a double quote, in double quotes as in SQL ({@code "we.ird".t}).
   */
  TableIdentifier identifier(String name) {
    if (name == null || name.isBlank()) {
      throw new IcecapException(ErrorCode.UNKNOWN_TABLE, "No table name given");
    }
    if (name.indexOf('"') < 0) {
      return identifier(List.of(name.split("\\.", -1)));
    }
    List<String> parts = new ArrayList<>();
    boolean parsed;
    try {
      List<Token> tokens = SqlLexer.tokenize(name);
      parsed = tokens.size() % 2 == 1;
      for (int i = 0; parsed && i < tokens.size(); i += 2) {
        parsed = tokens.get(i).isName() && (i == 0 || tokens.get(i - 1).isPunctuation('.'));
        parts.add(tokens.get(i).value());
      }
    } catch (SqlSyntaxException e) {
      parsed = false;
    }
    if (!parsed) {
      throw new IcecapException(
          ErrorCode.SYNTAX_ERROR,
          "Table name %s does not parse: write its parts separated by dots, a part with a dot or"
              + " a quote in double quotes (\"we.ird\".t)",
          name);
    }
    return identifier(parts);
  }
}
