package io.icecap.client;

import io.icecap.catalog.NameCase;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.IcebergTypes;
import io.icecap.replica.UnsupportedTypeException;
import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Icecap's DDL, applied to the catalog: {@code CREATE TABLE … [PARTITIONED BY (…)] [TBLPROPERTIES
 * (…)]}, {@code DROP TABLE}, {@code ALTER TABLE} (add, drop and rename a column, rename the table,
 * {@code SET TBLPROPERTIES} and {@code UNSET TBLPROPERTIES}), {@code CREATE/DROP SCHEMA}. Column
 * types are DuckDB's, mapped to Iceberg types as the replicator maps them; DuckDB itself parses the
 * column list. Table properties are checked by {@link DdlProperties}.
 */
final class Ddl {
  private static final Set<String> REFUSED_COLUMN_WORDS =
      Set.of("PRIMARY", "UNIQUE", "CHECK", "DEFAULT", "REFERENCES", "GENERATED", "COLLATE", "AS");

  private final Connection scratch;
  private final TableNames names;
  private final org.apache.iceberg.catalog.Catalog catalog;
  private final List<TableIdentifier> changed = new ArrayList<>();

  /**
   * @param scratch a DuckDB connection for parsing column definitions (a temporary table is made
   *     and dropped)
   */
  Ddl(Connection scratch, TableNames names, org.apache.iceberg.catalog.Catalog catalog) {
    this.scratch = scratch;
    this.names = names;
    this.catalog = catalog;
  }

  /** Whether the statement is DDL this class runs. */
  static boolean isDdl(List<Token> tokens) {
    return !tokens.isEmpty()
        && (tokens.get(0).isKeyword("CREATE")
            || tokens.get(0).isKeyword("DROP")
            || tokens.get(0).isKeyword("ALTER"));
  }

  /** The tables the last statement changed or tried to (created, dropped, altered, renamed). */
  List<TableIdentifier> changed() {
    return List.copyOf(changed);
  }

  /** Runs a DDL statement. */
  void run(String sql) {
    changed.clear();
    List<Token> tokens = tokens(sql);
    Cursor at = new Cursor(sql, tokens);
    if (at.accept("CREATE")) {
      if (at.accept("SCHEMA") || at.accept("NAMESPACE")) {
        boolean ifNotExists = at.accept("IF", "NOT", "EXISTS");
        Namespace namespace = names.namespace(at.names("a schema name"));
        at.end();
        createSchema(namespace, ifNotExists);
      } else if (at.accept("TABLE")) {
        createTable(at);
      } else {
        throw at.unsupported();
      }
    } else if (at.accept("DROP")) {
      if (at.accept("SCHEMA") || at.accept("NAMESPACE")) {
        boolean ifExists = at.accept("IF", "EXISTS");
        Namespace namespace = names.namespace(at.names("a schema name"));
        if (at.accept("CASCADE")) {
          throw new IcecapException(
              ErrorCode.UNSUPPORTED,
              "DROP SCHEMA ... CASCADE is not supported: drop the schema's tables first");
        }
        at.accept("RESTRICT");
        at.end();
        dropSchema(namespace, ifExists);
      } else if (at.accept("TABLE")) {
        boolean ifExists = at.accept("IF", "EXISTS");
        TableIdentifier identifier = identifier(at.names("a table name"));
        changed.add(identifier);
        boolean purge = at.accept("PURGE");
        at.end();
        if (!catalog.dropTable(identifier, purge) && !ifExists) {
          throw new IcecapException(
              ErrorCode.UNKNOWN_TABLE, "Cannot drop table %s: it does not exist", identifier);
        }
      } else {
        throw at.unsupported();
      }
    } else if (at.accept("ALTER")) {
      at.expect("TABLE");
      alterTable(at);
    } else {
      throw at.unsupported();
    }
  }

  private void createSchema(Namespace namespace, boolean ifNotExists) {
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    try {
      namespaces.createNamespace(namespace);
    } catch (AlreadyExistsException e) {
      if (!namespaces.namespaceExists(namespace)) {
        // another name that differs only in case exists: IF NOT EXISTS does not cover it
        throw new IcecapException(ErrorCode.ALREADY_EXISTS, e, "%s", e.getMessage());
      }
      if (!ifNotExists) {
        throw new IcecapException(
            ErrorCode.ALREADY_EXISTS, "Schema %s exists already (add IF NOT EXISTS)", namespace);
      }
    } catch (NoSuchNamespaceException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_SCHEMA, e, "Cannot create schema %s: %s", namespace, e.getMessage());
    }
  }

  private void dropSchema(Namespace namespace, boolean ifExists) {
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    try {
      if (!namespaces.dropNamespace(namespace) && !ifExists) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_SCHEMA, "Cannot drop schema %s: it does not exist", namespace);
      }
    } catch (NamespaceNotEmptyException e) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED,
          "Cannot drop schema %s: it is not empty; drop its tables and schemas first",
          namespace);
    }
  }

  private void createTable(Cursor at) {
    boolean ifNotExists = at.accept("IF", "NOT", "EXISTS");
    TableIdentifier identifier = identifier(at.names("a table name"));
    changed.add(identifier);
    String columns = at.parenthesized("the column list");
    Schema schema = schemaOf(columns, identifier);
    PartitionSpec spec = null;
    Map<String, String> properties = null;
    while (true) {
      if (spec == null && (at.accept("PARTITIONED", "BY") || at.accept("PARTITION", "BY"))) {
        spec = partitionSpec(schema, at, identifier);
      } else if (properties == null && at.accept("TBLPROPERTIES")) {
        properties = DdlProperties.assignments(at, identifier);
      } else {
        break;
      }
    }
    at.end();
    Map<String, String> tableProperties = new LinkedHashMap<>(TableDefaults.PROPERTIES);
    if (properties != null) {
      DdlProperties.checkSet(identifier, properties, 0);
      tableProperties.putAll(properties);
    }
    try {
      catalog
          .buildTable(identifier, schema)
          .withPartitionSpec(spec == null ? PartitionSpec.unpartitioned() : spec)
          .withProperties(tableProperties)
          .create();
    } catch (AlreadyExistsException e) {
      if (!catalog.tableExists(identifier)) {
        // another name that differs only in case exists: IF NOT EXISTS does not cover it
        throw new IcecapException(ErrorCode.ALREADY_EXISTS, e, "%s", e.getMessage());
      }
      if (!ifNotExists) {
        throw new IcecapException(
            ErrorCode.ALREADY_EXISTS,
            "Table %s exists already (add IF NOT EXISTS, or DROP TABLE it first)",
            identifier);
      }
    } catch (java.io.UncheckedIOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot create table %s: %s (%s); its namespace levels and name are directories of the"
              + " warehouse, so each must fit the storage's limits (255 bytes on most file"
              + " systems)",
          identifier,
          e.getMessage(),
          root.getMessage());
    } catch (NoSuchNamespaceException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_SCHEMA,
          "Cannot create table %s: schema %s does not exist (CREATE SCHEMA %s first)",
          identifier,
          identifier.namespace(),
          identifier.namespace());
    }
  }

  /** The Iceberg schema of a column list, as DuckDB reads it. */
  private Schema schemaOf(String columns, TableIdentifier identifier) {
    for (Token token : tokens(columns)) {
      if (token.kind() == Token.Kind.IDENTIFIER
          && REFUSED_COLUMN_WORDS.contains(token.text().toUpperCase(Locale.ROOT))) {
        throw new IcecapException(
            ErrorCode.UNSUPPORTED,
            "Cannot create table %s: %s is not supported in column definitions (Iceberg tables"
                + " have no keys, defaults, checks or generated columns); write names, types and"
                + " NOT NULL only",
            identifier,
            token.text().toUpperCase(Locale.ROOT));
      }
    }
    try {
      try (Statement statement = scratch.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS icecap_ddl");
        statement.execute("CREATE TEMP TABLE icecap_ddl (" + columns + ")");
        return IcebergTypes.schemaOf(scratch, "icecap_ddl");
      } finally {
        // a statement that failed is closed: drop with another
        try (Statement statement = scratch.createStatement()) {
          statement.execute("DROP TABLE IF EXISTS icecap_ddl");
        }
      }
    } catch (SQLException e) {
      throw new IcecapException(
          ErrorCode.SYNTAX_ERROR,
          e,
          "Cannot create table %s: its column list does not parse: %s",
          identifier,
          firstLine(e.getMessage()));
    } catch (UnsupportedTypeException e) {
      throw new IcecapException(
          ErrorCode.TYPE_ERROR, e, "Cannot create table %s: %s", identifier, e.getMessage());
    }
  }

  private PartitionSpec partitionSpec(Schema schema, Cursor at, TableIdentifier identifier) {
    PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
    at.expectPunctuation('(');
    do {
      List<String> call = at.names("a partition column or transform");
      if (call.size() != 1) {
        throw at.error("a partition column or transform");
      }
      String name = call.get(0);
      try {
        if (at.acceptPunctuation('(')) {
          String transform = name.toLowerCase(Locale.ROOT);
          if (transform.equals("bucket") || transform.equals("truncate")) {
            int width = at.integer("the " + transform + " width");
            at.expectPunctuation(',');
            String column = column(schema, at.names("a column").get(0), identifier);
            if (transform.equals("bucket")) {
              builder.bucket(column, width);
            } else {
              builder.truncate(column, width);
            }
          } else {
            String column = column(schema, at.names("a column").get(0), identifier);
            switch (transform) {
              case "identity" -> builder.identity(column);
              case "year", "years" -> builder.year(column);
              case "month", "months" -> builder.month(column);
              case "day", "days" -> builder.day(column);
              case "hour", "hours" -> builder.hour(column);
              default ->
                  throw new IcecapException(
                      ErrorCode.UNSUPPORTED,
                      "Unknown partition transform %s: use identity, year, month, day, hour,"
                          + " bucket(N, col) or truncate(N, col)",
                      name);
            }
          }
          at.expectPunctuation(')');
        } else {
          builder.identity(column(schema, name, identifier));
        }
      } catch (IllegalArgumentException | ValidationException e) {
        throw new IcecapException(
            ErrorCode.TYPE_ERROR,
            e,
            "Cannot partition table %s by %s: %s",
            identifier,
            name,
            e.getMessage());
      }
    } while (at.acceptPunctuation(','));
    at.expectPunctuation(')');
    return builder.build();
  }

  private static String column(Schema schema, String name, TableIdentifier identifier) {
    Types.NestedField field = schema.caseInsensitiveFindField(name);
    if (field == null) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot partition table %s by %s: it has no such column",
          identifier,
          name);
    }
    return field.name();
  }

  private void alterTable(Cursor at) {
    TableIdentifier identifier = identifier(at.names("a table name"));
    changed.add(identifier);
    Table table;
    try {
      table = catalog.loadTable(identifier);
    } catch (NoSuchTableException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_TABLE, "Cannot alter table %s: it does not exist", identifier);
    }
    try {
      if (at.accept("ADD")) {
        at.accept("COLUMN");
        String name = at.names("a column name").get(0);
        String definition = at.rest();
        Schema added = schemaOf(DuckDbTypes.quote(name) + " " + definition, identifier);
        Types.NestedField field = added.columns().get(0);
        if (field.isRequired()) {
          throw new IcecapException(
              ErrorCode.UNSUPPORTED,
              "Cannot add column %s to %s as NOT NULL: existing rows have no value for it; add it"
                  + " nullable",
              name,
              identifier);
        }
        checkNewColumnName(table, name, null, identifier);
        Type type = field.type();
        table.updateSchema().addColumn(name, type).commit();
      } else if (at.accept("DROP")) {
        at.accept("COLUMN");
        String name = at.names("a column name").get(0);
        at.end();
        table.updateSchema().caseSensitive(exact(table, name)).deleteColumn(name).commit();
      } else if (at.accept("SET", "TBLPROPERTIES")) {
        Map<String, String> properties = DdlProperties.assignments(at, identifier);
        at.end();
        DdlProperties.checkSet(identifier, properties, formatVersion(table));
        UpdateProperties update = table.updateProperties();
        properties.forEach(update::set);
        update.commit();
      } else if (at.accept("UNSET", "TBLPROPERTIES")) {
        boolean ifExists = at.accept("IF", "EXISTS");
        List<String> keys = DdlProperties.keys(at, identifier);
        at.end();
        DdlProperties.checkUnset(identifier, keys);
        UpdateProperties update = table.updateProperties();
        for (String key : keys) {
          if (!table.properties().containsKey(key) && !ifExists) {
            throw new IcecapException(
                ErrorCode.INVALID_PROPERTY,
                "Cannot unset table property '%s' of %s: it is not set (UNSET TBLPROPERTIES IF"
                    + " EXISTS ignores properties that are not set)",
                key,
                identifier);
          }
          update.remove(key);
        }
        update.commit();
      } else if (at.accept("RENAME")) {
        if (at.accept("TO")) {
          TableIdentifier to = identifier(at.names("the new table name"));
          changed.add(to);
          at.end();
          catalog.renameTable(identifier, to);
          return;
        }
        at.accept("COLUMN");
        String from = at.names("a column name").get(0);
        at.expect("TO");
        String to = at.names("the new column name").get(0);
        at.end();
        checkNewColumnName(table, to, from, identifier);
        table.updateSchema().caseSensitive(exact(table, from)).renameColumn(from, to).commit();
      } else {
        throw new IcecapException(
            ErrorCode.UNSUPPORTED,
            "ALTER TABLE supports ADD COLUMN, DROP COLUMN, RENAME COLUMN a TO b, RENAME TO, SET"
                + " TBLPROPERTIES ('key' = 'value', ...) and UNSET TBLPROPERTIES [IF EXISTS]"
                + " ('key', ...); got: %s",
            at.rest());
      }
    } catch (IllegalArgumentException | ValidationException e) {
      throw new IcecapException(
          ErrorCode.UNKNOWN_COLUMN, e, "Cannot alter table %s: %s", identifier, e.getMessage());
    } catch (CommitFailedException e) {
      throw new IcecapException(
          ErrorCode.COMMIT_CONFLICT,
          e,
          "Cannot alter table %s: another writer changed it at the same time; run the statement"
              + " again",
          identifier);
    } catch (AlreadyExistsException e) {
      throw new IcecapException(ErrorCode.ALREADY_EXISTS, e, "%s", e.getMessage());
    }
  }

  private static int formatVersion(Table table) {
    return table instanceof HasTableOperations operations
        ? operations.operations().current().formatVersion()
        : DdlProperties.FORMAT_VERSION;
  }

  /**
   * Whether a column of that very name exists: it is then found as written, which a table whose
   * columns differ only in case (made before the catalog refused that) needs to be mended; any
   * other name is found ignoring case, as DuckDB finds it.
   */
  private static boolean exact(Table table, String name) {
    return table.schema().findField(name) != null;
  }

  /**
   * Refuses a new column name that differs only in case from another column's: DuckDB, which runs
   * Icecap's writes and queries, takes them for one column (the catalog refuses such a schema too).
   */
  private static void checkNewColumnName(
      Table table, String name, String renamed, TableIdentifier identifier) {
    for (Types.NestedField column : table.schema().columns()) {
      String folded = NameCase.foldColumn(column.name());
      boolean self = renamed != null && folded.equals(NameCase.foldColumn(renamed));
      if (!self && folded.equals(NameCase.foldColumn(name))) {
        throw new IcecapException(
            ErrorCode.ALREADY_EXISTS,
            "Cannot name a column %s in table %s: column %s exists, and names that differ only in"
                + " case are one name to DuckDB; choose another name",
            name,
            identifier,
            column.name());
      }
    }
  }

  private TableIdentifier identifier(List<String> parts) {
    return names.identifier(parts);
  }

  private static List<Token> tokens(String sql) {
    try {
      return SqlLexer.tokenize(sql);
    } catch (SqlSyntaxException e) {
      throw new IcecapException(ErrorCode.SYNTAX_ERROR, e, "%s", e.getMessage());
    }
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }

  /** Walks a statement's tokens. */
  static final class Cursor {
    private final String sql;
    private final List<Token> tokens;
    private int next;

    Cursor(String sql, List<Token> tokens) {
      this.sql = sql;
      this.tokens = tokens.stream().filter(t -> !t.isPunctuation(';')).toList();
    }

    boolean accept(String... keywords) {
      for (int i = 0; i < keywords.length; i++) {
        if (next + i >= tokens.size() || !tokens.get(next + i).isKeyword(keywords[i])) {
          return false;
        }
      }
      next += keywords.length;
      return true;
    }

    /** The next token, or null at the end. */
    Token peek() {
      return next < tokens.size() ? tokens.get(next) : null;
    }

    void skip() {
      next++;
    }

    void expectOperator(String operator) {
      if (next >= tokens.size() || !tokens.get(next).isOperator(operator)) {
        throw error("'" + operator + "'");
      }
      next++;
    }

    void expect(String keyword) {
      if (!accept(keyword)) {
        throw error(keyword);
      }
    }

    boolean acceptPunctuation(char mark) {
      if (next < tokens.size() && tokens.get(next).isPunctuation(mark)) {
        next++;
        return true;
      }
      return false;
    }

    void expectPunctuation(char mark) {
      if (!acceptPunctuation(mark)) {
        throw error("'" + mark + "'");
      }
    }

    /** A dotted name: its parts without quotes. */
    List<String> names(String what) {
      List<String> parts = new ArrayList<>();
      do {
        if (next >= tokens.size() || !tokens.get(next).isName()) {
          throw error(what);
        }
        parts.add(tokens.get(next++).value());
      } while (acceptPunctuation('.'));
      return parts;
    }

    int integer(String what) {
      if (next >= tokens.size() || tokens.get(next).kind() != Token.Kind.NUMBER) {
        throw error(what);
      }
      try {
        return Integer.parseInt(tokens.get(next++).value());
      } catch (NumberFormatException e) {
        throw error(what);
      }
    }

    /** The text inside the next balanced parentheses. */
    String parenthesized(String what) {
      if (next >= tokens.size() || !tokens.get(next).isPunctuation('(')) {
        throw error(what + " in parentheses");
      }
      int depth = 0;
      int open = tokens.get(next).end();
      for (int i = next; i < tokens.size(); i++) {
        Token token = tokens.get(i);
        if (token.isPunctuation('(')) {
          depth++;
        } else if (token.isPunctuation(')') && --depth == 0) {
          next = i + 1;
          return sql.substring(open, token.start());
        }
      }
      throw error("')' closing " + what);
    }

    /** The rest of the statement's text. */
    String rest() {
      if (next >= tokens.size()) {
        throw error("more");
      }
      String rest = sql.substring(tokens.get(next).start(), tokens.get(tokens.size() - 1).end());
      next = tokens.size();
      return rest;
    }

    void end() {
      if (next < tokens.size()) {
        throw new IcecapException(
            ErrorCode.SYNTAX_ERROR,
            "Syntax error at character %d: unexpected '%s' after the end of the statement",
            tokens.get(next).start() + 1,
            tokens.get(next).text());
      }
    }

    IcecapException error(String expected) {
      if (next >= tokens.size()) {
        return new IcecapException(
            ErrorCode.SYNTAX_ERROR,
            "Syntax error: the statement ends where %s is expected",
            expected);
      }
      Token token = tokens.get(next);
      return new IcecapException(
          ErrorCode.SYNTAX_ERROR,
          "Syntax error at character %d: expected %s, found '%s'",
          token.start() + 1,
          expected,
          token.text());
    }

    IcecapException unsupported() {
      return new IcecapException(
          ErrorCode.UNSUPPORTED,
          "Unsupported statement: %s. Icecap runs CREATE/DROP SCHEMA, CREATE/DROP TABLE, ALTER"
              + " TABLE, INSERT, UPDATE, DELETE and queries",
          sql.strip());
    }
  }
}
