package io.icecap.jdbc;

import io.icecap.client.IcecapSession;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types.NestedField;

/**
 * What a generic SQL tool asks of a connection: one catalog (the connection's), its namespaces as
 * schemas (nested ones dotted), their tables and columns with JDBC and DuckDB types, and each
 * table's Iceberg identifier fields as its primary key. Icecap has no procedures, functions,
 * indexes, foreign keys, privileges or user-defined types; those answers are empty.
 */
final class IcecapDatabaseMetaData implements DatabaseMetaData {
  /** The longest statement the write path accepts (its validation limit). */
  private static final int MAX_STATEMENT_CHARS = 16 << 20;

  private final IcecapConnection connection;

  IcecapDatabaseMetaData(IcecapConnection connection) {
    this.connection = connection;
  }

  private IcecapSession session() throws SQLException {
    connection.checkOpen();
    return connection.session();
  }

  @Override
  public String getURL() {
    return connection.url();
  }

  @Override
  public String getUserName() throws SQLException {
    return session().config().catalogProperties().getOrDefault("redis.user", "");
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return connection.isReadOnly();
  }

  @Override
  public int getDriverMajorVersion() {
    return IcecapDriver.MAJOR_VERSION;
  }

  @Override
  public int getDriverMinorVersion() {
    return IcecapDriver.MINOR_VERSION;
  }

  @Override
  public boolean supportsConvert(int fromType, int toType) {
    return false;
  }

  @Override
  public boolean supportsTransactionIsolationLevel(int level) {
    return level == Connection.TRANSACTION_READ_COMMITTED;
  }

  @Override
  public boolean supportsResultSetType(int type) {
    return type == ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public boolean supportsResultSetConcurrency(int type, int concurrency) {
    return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public boolean supportsResultSetHoldability(int holdability) {
    return holdability == ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public Connection getConnection() throws SQLException {
    connection.checkOpen();
    return connection;
  }

  // ---- catalogs, schemas, tables, columns

  @Override
  public ResultSet getCatalogs() throws SQLException {
    return new MetaRows("TABLE_CAT").add(catalogName()).resultSet(connection);
  }

  @Override
  public ResultSet getSchemas() throws SQLException {
    return getSchemas(null, null);
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    MetaRows rows = new MetaRows("TABLE_SCHEM", "TABLE_CATALOG");
    if (catalogMatches(catalog)) {
      Pattern schemas = like(schemaPattern);
      for (Namespace namespace : namespaces()) {
        if (schemas.matcher(namespace.toString()).matches()) {
          rows.add(namespace.toString(), catalogName());
        }
      }
    }
    return rows.resultSet(connection);
  }

  @Override
  public ResultSet getTableTypes() throws SQLException {
    return new MetaRows("TABLE_TYPE").add("TABLE").resultSet(connection);
  }

  @Override
  public ResultSet getTables(
      String catalog, String schemaPattern, String tableNamePattern, String[] types)
      throws SQLException {
    MetaRows rows =
        new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "TABLE_TYPE",
            "REMARKS",
            "TYPE_CAT",
            "TYPE_SCHEM",
            "TYPE_NAME",
            "SELF_REFERENCING_COL_NAME",
            "REF_GENERATION");
    boolean tablesWanted =
        types == null
            || Set.of(types).stream().anyMatch(t -> t != null && t.equalsIgnoreCase("TABLE"));
    if (tablesWanted) {
      for (TableIdentifier identifier : tables(catalog, schemaPattern, tableNamePattern)) {
        rows.add(
            catalogName(),
            identifier.namespace().toString(),
            identifier.name(),
            "TABLE",
            null,
            null,
            null,
            null,
            null,
            null);
      }
    }
    return rows.resultSet(connection);
  }

  @Override
  public ResultSet getColumns(
      String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
      throws SQLException {
    MetaRows rows =
        new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "COLUMN_NAME",
            "DATA_TYPE:int",
            "TYPE_NAME",
            "COLUMN_SIZE:int",
            "BUFFER_LENGTH:int",
            "DECIMAL_DIGITS:int",
            "NUM_PREC_RADIX:int",
            "NULLABLE:int",
            "REMARKS",
            "COLUMN_DEF",
            "SQL_DATA_TYPE:int",
            "SQL_DATETIME_SUB:int",
            "CHAR_OCTET_LENGTH:int",
            "ORDINAL_POSITION:int",
            "IS_NULLABLE",
            "SCOPE_CATALOG",
            "SCOPE_SCHEMA",
            "SCOPE_TABLE",
            "SOURCE_DATA_TYPE:smallint",
            "IS_AUTOINCREMENT",
            "IS_GENERATEDCOLUMN");
    Pattern columns = like(columnNamePattern);
    for (TableIdentifier identifier : tables(catalog, schemaPattern, tableNamePattern)) {
      Schema schema = schemaOf(identifier);
      if (schema == null) {
        continue;
      }
      int position = 0;
      for (NestedField field : schema.columns()) {
        position++;
        if (!columns.matcher(field.name()).matches()) {
          continue;
        }
        JdbcType type = JdbcType.of(field.name(), field.type());
        rows.add(
            catalogName(),
            identifier.namespace().toString(),
            identifier.name(),
            field.name(),
            type.sqlType(),
            type.name(),
            type.size(),
            null,
            type.decimalDigits(),
            type.radix(),
            field.isOptional() ? columnNullable : columnNoNulls,
            field.doc(),
            null,
            null,
            null,
            type.octetLength(),
            position,
            field.isOptional() ? "YES" : "NO",
            null,
            null,
            null,
            null,
            "NO",
            "NO");
      }
    }
    return rows.resultSet(connection);
  }

  /** A table's Iceberg identifier fields, in schema order. */
  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    MetaRows rows =
        new MetaRows(
            "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ:smallint", "PK_NAME");
    for (TableIdentifier identifier : tables(catalog, quoteLike(schema), quoteLike(table))) {
      Schema tableSchema = schemaOf(identifier);
      if (tableSchema == null) {
        continue;
      }
      List<NestedField> keys =
          tableSchema.columns().stream()
              .filter(f -> tableSchema.identifierFieldIds().contains(f.fieldId()))
              .sorted(Comparator.comparing(NestedField::name))
              .toList();
      short sequence = 0;
      for (NestedField key : keys) {
        rows.add(
            catalogName(),
            identifier.namespace().toString(),
            identifier.name(),
            key.name(),
            ++sequence,
            identifier.name() + "_identifier");
      }
    }
    return rows.resultSet(connection);
  }

  @Override
  public ResultSet getTypeInfo() throws SQLException {
    MetaRows rows =
        new MetaRows(
            "TYPE_NAME",
            "DATA_TYPE:int",
            "PRECISION:int",
            "LITERAL_PREFIX",
            "LITERAL_SUFFIX",
            "CREATE_PARAMS",
            "NULLABLE:smallint",
            "CASE_SENSITIVE:boolean",
            "SEARCHABLE:smallint",
            "UNSIGNED_ATTRIBUTE:boolean",
            "FIXED_PREC_SCALE:boolean",
            "AUTO_INCREMENT:boolean",
            "LOCAL_TYPE_NAME",
            "MINIMUM_SCALE:smallint",
            "MAXIMUM_SCALE:smallint",
            "SQL_DATA_TYPE:int",
            "SQL_DATETIME_SUB:int",
            "NUM_PREC_RADIX:int");
    List<JdbcType.Info> types = new ArrayList<>(JdbcType.all());
    types.sort(Comparator.comparingInt(JdbcType.Info::sqlType));
    for (JdbcType.Info type : types) {
      rows.add(
          type.name(),
          type.sqlType(),
          type.precision(),
          type.quoted() ? "'" : null,
          type.quoted() ? "'" : null,
          type.createParams(),
          (short) typeNullable,
          type.caseSensitive(),
          (short) (type.caseSensitive() ? typeSearchable : typePredBasic),
          type.numeric() ? false : null,
          false,
          false,
          type.name(),
          (short) 0,
          (short) type.maxScale(),
          null,
          null,
          type.numeric() ? 10 : null);
    }
    return rows.resultSet(connection);
  }

  // ---- what Icecap does not have: empty answers with the specified columns

  @Override
  public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern)
      throws SQLException {
    return new MetaRows(
            "PROCEDURE_CAT",
            "PROCEDURE_SCHEM",
            "PROCEDURE_NAME",
            "RESERVED1",
            "RESERVED2",
            "RESERVED3",
            "REMARKS",
            "PROCEDURE_TYPE:smallint",
            "SPECIFIC_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getProcedureColumns(
      String catalog, String schemaPattern, String procedureNamePattern, String columnNamePattern)
      throws SQLException {
    return new MetaRows(
            "PROCEDURE_CAT",
            "PROCEDURE_SCHEM",
            "PROCEDURE_NAME",
            "COLUMN_NAME",
            "COLUMN_TYPE:smallint",
            "DATA_TYPE:int",
            "TYPE_NAME",
            "PRECISION:int",
            "LENGTH:int",
            "SCALE:smallint",
            "RADIX:smallint",
            "NULLABLE:smallint",
            "REMARKS",
            "COLUMN_DEF",
            "SQL_DATA_TYPE:int",
            "SQL_DATETIME_SUB:int",
            "CHAR_OCTET_LENGTH:int",
            "ORDINAL_POSITION:int",
            "IS_NULLABLE",
            "SPECIFIC_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getColumnPrivileges(
      String catalog, String schema, String table, String columnNamePattern) throws SQLException {
    return new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "COLUMN_NAME",
            "GRANTOR",
            "GRANTEE",
            "PRIVILEGE",
            "IS_GRANTABLE")
        .resultSet(connection);
  }

  @Override
  public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
      throws SQLException {
    return new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "GRANTOR",
            "GRANTEE",
            "PRIVILEGE",
            "IS_GRANTABLE")
        .resultSet(connection);
  }

  @Override
  public ResultSet getBestRowIdentifier(
      String catalog, String schema, String table, int scope, boolean nullable)
      throws SQLException {
    return rowIdentifierRows().resultSet(connection);
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table)
      throws SQLException {
    return rowIdentifierRows().resultSet(connection);
  }

  private static MetaRows rowIdentifierRows() {
    return new MetaRows(
        "SCOPE:smallint",
        "COLUMN_NAME",
        "DATA_TYPE:int",
        "TYPE_NAME",
        "COLUMN_SIZE:int",
        "BUFFER_LENGTH:int",
        "DECIMAL_DIGITS:smallint",
        "PSEUDO_COLUMN:smallint");
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return keyRows().resultSet(connection);
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table)
      throws SQLException {
    return keyRows().resultSet(connection);
  }

  @Override
  public ResultSet getCrossReference(
      String parentCatalog,
      String parentSchema,
      String parentTable,
      String foreignCatalog,
      String foreignSchema,
      String foreignTable)
      throws SQLException {
    return keyRows().resultSet(connection);
  }

  private static MetaRows keyRows() {
    return new MetaRows(
        "PKTABLE_CAT",
        "PKTABLE_SCHEM",
        "PKTABLE_NAME",
        "PKCOLUMN_NAME",
        "FKTABLE_CAT",
        "FKTABLE_SCHEM",
        "FKTABLE_NAME",
        "FKCOLUMN_NAME",
        "KEY_SEQ:smallint",
        "UPDATE_RULE:smallint",
        "DELETE_RULE:smallint",
        "FK_NAME",
        "PK_NAME",
        "DEFERRABILITY:smallint");
  }

  @Override
  public ResultSet getIndexInfo(
      String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "NON_UNIQUE:boolean",
            "INDEX_QUALIFIER",
            "INDEX_NAME",
            "TYPE:smallint",
            "ORDINAL_POSITION:smallint",
            "COLUMN_NAME",
            "ASC_OR_DESC",
            "CARDINALITY:bigint",
            "PAGES:bigint",
            "FILTER_CONDITION")
        .resultSet(connection);
  }

  @Override
  public ResultSet getUDTs(
      String catalog, String schemaPattern, String typeNamePattern, int[] types)
      throws SQLException {
    return new MetaRows(
            "TYPE_CAT",
            "TYPE_SCHEM",
            "TYPE_NAME",
            "CLASS_NAME",
            "DATA_TYPE:int",
            "REMARKS",
            "BASE_TYPE:smallint")
        .resultSet(connection);
  }

  @Override
  public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern)
      throws SQLException {
    return new MetaRows(
            "TYPE_CAT",
            "TYPE_SCHEM",
            "TYPE_NAME",
            "SUPERTYPE_CAT",
            "SUPERTYPE_SCHEM",
            "SUPERTYPE_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern)
      throws SQLException {
    return new MetaRows("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getAttributes(
      String catalog, String schemaPattern, String typeNamePattern, String attributeNamePattern)
      throws SQLException {
    return new MetaRows(
            "TYPE_CAT",
            "TYPE_SCHEM",
            "TYPE_NAME",
            "ATTR_NAME",
            "DATA_TYPE:int",
            "ATTR_TYPE_NAME",
            "ATTR_SIZE:int",
            "DECIMAL_DIGITS:int",
            "NUM_PREC_RADIX:int",
            "NULLABLE:int",
            "REMARKS",
            "ATTR_DEF",
            "SQL_DATA_TYPE:int",
            "SQL_DATETIME_SUB:int",
            "CHAR_OCTET_LENGTH:int",
            "ORDINAL_POSITION:int",
            "IS_NULLABLE",
            "SCOPE_CATALOG",
            "SCOPE_SCHEMA",
            "SCOPE_TABLE",
            "SOURCE_DATA_TYPE:smallint")
        .resultSet(connection);
  }

  @Override
  public ResultSet getClientInfoProperties() throws SQLException {
    return new MetaRows("NAME", "MAX_LEN:int", "DEFAULT_VALUE", "DESCRIPTION")
        .resultSet(connection);
  }

  @Override
  public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern)
      throws SQLException {
    return new MetaRows(
            "FUNCTION_CAT",
            "FUNCTION_SCHEM",
            "FUNCTION_NAME",
            "REMARKS",
            "FUNCTION_TYPE:smallint",
            "SPECIFIC_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getFunctionColumns(
      String catalog, String schemaPattern, String functionNamePattern, String columnNamePattern)
      throws SQLException {
    return new MetaRows(
            "FUNCTION_CAT",
            "FUNCTION_SCHEM",
            "FUNCTION_NAME",
            "COLUMN_NAME",
            "COLUMN_TYPE:smallint",
            "DATA_TYPE:int",
            "TYPE_NAME",
            "PRECISION:int",
            "LENGTH:int",
            "SCALE:smallint",
            "RADIX:smallint",
            "NULLABLE:smallint",
            "REMARKS",
            "CHAR_OCTET_LENGTH:int",
            "ORDINAL_POSITION:int",
            "IS_NULLABLE",
            "SPECIFIC_NAME")
        .resultSet(connection);
  }

  @Override
  public ResultSet getPseudoColumns(
      String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
      throws SQLException {
    return new MetaRows(
            "TABLE_CAT",
            "TABLE_SCHEM",
            "TABLE_NAME",
            "COLUMN_NAME",
            "DATA_TYPE:int",
            "COLUMN_SIZE:int",
            "DECIMAL_DIGITS:int",
            "NUM_PREC_RADIX:int",
            "COLUMN_USAGE",
            "REMARKS",
            "CHAR_OCTET_LENGTH:int",
            "IS_NULLABLE")
        .resultSet(connection);
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw JdbcErrors.of(
        io.icecap.client.ErrorCode.INVALID_PARAMETER, "Cannot unwrap metadata as %s", type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  // ---- the catalog behind the answers

  private String catalogName() throws SQLException {
    return session().config().catalogName();
  }

  private boolean catalogMatches(String catalog) throws SQLException {
    return catalog == null || catalog.equalsIgnoreCase(catalogName());
  }

  /** Every namespace, nested ones after their parents, sorted by name. */
  private List<Namespace> namespaces() throws SQLException {
    List<Namespace> all = new ArrayList<>();
    if (session().catalog() instanceof SupportsNamespaces namespaces) {
      guard(() -> collect(namespaces, Namespace.empty(), all));
    }
    all.sort(Comparator.comparing(Namespace::toString));
    return all;
  }

  private static void collect(SupportsNamespaces catalog, Namespace parent, List<Namespace> all) {
    List<Namespace> children;
    try {
      children = catalog.listNamespaces(parent);
    } catch (NoSuchNamespaceException e) {
      return;
    }
    for (Namespace child : children) {
      all.add(child);
      collect(catalog, child, all);
    }
  }

  /** The tables matching the patterns, ordered by schema and name as JDBC asks. */
  private List<TableIdentifier> tables(String catalog, String schemaPattern, String tablePattern)
      throws SQLException {
    List<TableIdentifier> found = new ArrayList<>();
    if (!catalogMatches(catalog)) {
      return found;
    }
    Pattern schemas = like(schemaPattern);
    Pattern tables = like(tablePattern);
    Catalog catalogue = session().catalog();
    for (Namespace namespace : namespaces()) {
      if (!schemas.matcher(namespace.toString()).matches()) {
        continue;
      }
      List<TableIdentifier> listed = new ArrayList<>();
      guard(
          () -> {
            try {
              listed.addAll(catalogue.listTables(namespace));
            } catch (NoSuchNamespaceException e) {
              // dropped since it was listed
            }
          });
      for (TableIdentifier identifier : listed) {
        if (tables.matcher(identifier.name()).matches()) {
          found.add(identifier);
        }
      }
    }
    found.sort(
        Comparator.comparing((TableIdentifier t) -> t.namespace().toString())
            .thenComparing(TableIdentifier::name));
    return found;
  }

  /** A table's current schema, or null when it was dropped since it was listed. */
  private Schema schemaOf(TableIdentifier identifier) throws SQLException {
    Catalog catalogue = session().catalog();
    Table[] table = new Table[1];
    guard(
        () -> {
          try {
            table[0] = catalogue.loadTable(identifier);
          } catch (NoSuchTableException e) {
            table[0] = null;
          }
        });
    return table[0] == null ? null : table[0].schema();
  }

  private static void guard(Runnable call) throws SQLException {
    try {
      call.run();
    } catch (io.icecap.catalog.RedisCatalogException e) {
      throw JdbcErrors.create(io.icecap.client.ErrorCode.CONNECTION_FAILED, e.getMessage(), e);
    } catch (RuntimeException e) {
      throw JdbcErrors.create(
          io.icecap.client.ErrorCode.INTERNAL, "Cannot read the catalog: " + e, e);
    }
  }

  /** A JDBC pattern ({@code %}, {@code _}, {@code \} escapes) as a case-sensitive regex. */
  static Pattern like(String pattern) {
    if (pattern == null) {
      return Pattern.compile("(?s).*");
    }
    StringBuilder regex = new StringBuilder("(?s)");
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  /** A name (not a pattern) as a pattern that matches only it; null stays null (any). */
  private static String quoteLike(String name) {
    return name == null ? null : name.replaceAll("([\\\\%_])", "\\\\$1");
  }

  @Override
  public boolean allProceduresAreCallable() {
    return false;
  }

  @Override
  public boolean allTablesAreSelectable() {
    return true;
  }

  @Override
  public boolean nullsAreSortedHigh() {
    return false;
  }

  @Override
  public boolean nullsAreSortedLow() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtStart() {
    return false;
  }

  @Override
  public boolean nullsAreSortedAtEnd() {
    return true;
  }

  @Override
  public String getDatabaseProductName() {
    return "Icecap";
  }

  @Override
  public String getDatabaseProductVersion() {
    return IcecapDriver.VERSION;
  }

  @Override
  public String getDriverName() {
    return "Icecap JDBC driver";
  }

  @Override
  public String getDriverVersion() {
    return IcecapDriver.VERSION;
  }

  @Override
  public boolean usesLocalFiles() {
    return false;
  }

  @Override
  public boolean usesLocalFilePerTable() {
    return false;
  }

  @Override
  public boolean supportsMixedCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesUpperCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseIdentifiers() {
    return true;
  }

  @Override
  public boolean supportsMixedCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesUpperCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesLowerCaseQuotedIdentifiers() {
    return false;
  }

  @Override
  public boolean storesMixedCaseQuotedIdentifiers() {
    return true;
  }

  @Override
  public String getIdentifierQuoteString() {
    return "\"";
  }

  @Override
  public String getSQLKeywords() {
    return "";
  }

  @Override
  public String getNumericFunctions() {
    return "abs,ceil,floor,ln,log10,mod,pi,power,round,sign,sqrt";
  }

  @Override
  public String getStringFunctions() {
    return "concat,length,lower,ltrim,replace,rtrim,substring,trim,upper";
  }

  @Override
  public String getSystemFunctions() {
    return "";
  }

  @Override
  public String getTimeDateFunctions() {
    return "current_date,date_part,date_trunc,extract";
  }

  @Override
  public String getSearchStringEscape() {
    return "\\";
  }

  @Override
  public String getExtraNameCharacters() {
    return "";
  }

  @Override
  public boolean supportsAlterTableWithAddColumn() {
    return true;
  }

  @Override
  public boolean supportsAlterTableWithDropColumn() {
    return true;
  }

  @Override
  public boolean supportsColumnAliasing() {
    return true;
  }

  @Override
  public boolean nullPlusNonNullIsNull() {
    return true;
  }

  @Override
  public boolean supportsConvert() {
    return false;
  }

  @Override
  public boolean supportsTableCorrelationNames() {
    return true;
  }

  @Override
  public boolean supportsDifferentTableCorrelationNames() {
    return false;
  }

  @Override
  public boolean supportsExpressionsInOrderBy() {
    return true;
  }

  @Override
  public boolean supportsOrderByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupBy() {
    return true;
  }

  @Override
  public boolean supportsGroupByUnrelated() {
    return true;
  }

  @Override
  public boolean supportsGroupByBeyondSelect() {
    return true;
  }

  @Override
  public boolean supportsLikeEscapeClause() {
    return true;
  }

  @Override
  public boolean supportsMultipleResultSets() {
    return false;
  }

  @Override
  public boolean supportsMultipleTransactions() {
    return true;
  }

  @Override
  public boolean supportsNonNullableColumns() {
    return true;
  }

  @Override
  public boolean supportsMinimumSQLGrammar() {
    return true;
  }

  @Override
  public boolean supportsCoreSQLGrammar() {
    return false;
  }

  @Override
  public boolean supportsExtendedSQLGrammar() {
    return false;
  }

  @Override
  public boolean supportsANSI92EntryLevelSQL() {
    return false;
  }

  @Override
  public boolean supportsANSI92IntermediateSQL() {
    return false;
  }

  @Override
  public boolean supportsANSI92FullSQL() {
    return false;
  }

  @Override
  public boolean supportsIntegrityEnhancementFacility() {
    return false;
  }

  @Override
  public boolean supportsOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsFullOuterJoins() {
    return true;
  }

  @Override
  public boolean supportsLimitedOuterJoins() {
    return true;
  }

  @Override
  public String getSchemaTerm() {
    return "schema";
  }

  @Override
  public String getProcedureTerm() {
    return "procedure";
  }

  @Override
  public String getCatalogTerm() {
    return "catalog";
  }

  @Override
  public boolean isCatalogAtStart() {
    return true;
  }

  @Override
  public String getCatalogSeparator() {
    return ".";
  }

  @Override
  public boolean supportsSchemasInDataManipulation() {
    return true;
  }

  @Override
  public boolean supportsSchemasInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsSchemasInTableDefinitions() {
    return true;
  }

  @Override
  public boolean supportsSchemasInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsSchemasInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInDataManipulation() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInProcedureCalls() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInTableDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInIndexDefinitions() {
    return false;
  }

  @Override
  public boolean supportsCatalogsInPrivilegeDefinitions() {
    return false;
  }

  @Override
  public boolean supportsPositionedDelete() {
    return false;
  }

  @Override
  public boolean supportsPositionedUpdate() {
    return false;
  }

  @Override
  public boolean supportsSelectForUpdate() {
    return false;
  }

  @Override
  public boolean supportsStoredProcedures() {
    return false;
  }

  @Override
  public boolean supportsSubqueriesInComparisons() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInExists() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInIns() {
    return true;
  }

  @Override
  public boolean supportsSubqueriesInQuantifieds() {
    return true;
  }

  @Override
  public boolean supportsCorrelatedSubqueries() {
    return true;
  }

  @Override
  public boolean supportsUnion() {
    return true;
  }

  @Override
  public boolean supportsUnionAll() {
    return true;
  }

  @Override
  public boolean supportsOpenCursorsAcrossCommit() {
    return true;
  }

  @Override
  public boolean supportsOpenCursorsAcrossRollback() {
    return true;
  }

  @Override
  public boolean supportsOpenStatementsAcrossCommit() {
    return true;
  }

  @Override
  public boolean supportsOpenStatementsAcrossRollback() {
    return true;
  }

  @Override
  public int getMaxBinaryLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxCharLiteralLength() {
    return 0;
  }

  @Override
  public int getMaxColumnNameLength() {
    return 0;
  }

  @Override
  public int getMaxColumnsInGroupBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInIndex() {
    return 0;
  }

  @Override
  public int getMaxColumnsInOrderBy() {
    return 0;
  }

  @Override
  public int getMaxColumnsInSelect() {
    return 0;
  }

  @Override
  public int getMaxColumnsInTable() {
    return 0;
  }

  @Override
  public int getMaxConnections() {
    return 0;
  }

  @Override
  public int getMaxCursorNameLength() {
    return 0;
  }

  @Override
  public int getMaxIndexLength() {
    return 0;
  }

  @Override
  public int getMaxSchemaNameLength() {
    return 0;
  }

  @Override
  public int getMaxProcedureNameLength() {
    return 0;
  }

  @Override
  public int getMaxCatalogNameLength() {
    return 0;
  }

  @Override
  public int getMaxRowSize() {
    return 0;
  }

  @Override
  public boolean doesMaxRowSizeIncludeBlobs() {
    return false;
  }

  @Override
  public int getMaxStatementLength() {
    return MAX_STATEMENT_CHARS;
  }

  @Override
  public int getMaxStatements() {
    return 0;
  }

  @Override
  public int getMaxTableNameLength() {
    return 0;
  }

  @Override
  public int getMaxTablesInSelect() {
    return 0;
  }

  @Override
  public int getMaxUserNameLength() {
    return 0;
  }

  @Override
  public int getDefaultTransactionIsolation() {
    return Connection.TRANSACTION_READ_COMMITTED;
  }

  @Override
  public boolean supportsTransactions() {
    return true;
  }

  @Override
  public boolean supportsDataDefinitionAndDataManipulationTransactions() {
    return false;
  }

  @Override
  public boolean supportsDataManipulationTransactionsOnly() {
    return true;
  }

  @Override
  public boolean dataDefinitionCausesTransactionCommit() {
    return false;
  }

  @Override
  public boolean dataDefinitionIgnoredInTransactions() {
    return false;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return true;
  }

  @Override
  public boolean supportsSavepoints() {
    return false;
  }

  @Override
  public boolean supportsNamedParameters() {
    return false;
  }

  @Override
  public boolean supportsMultipleOpenResults() {
    return false;
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return false;
  }

  @Override
  public int getResultSetHoldability() {
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public int getDatabaseMajorVersion() {
    return IcecapDriver.MAJOR_VERSION;
  }

  @Override
  public int getDatabaseMinorVersion() {
    return IcecapDriver.MINOR_VERSION;
  }

  @Override
  public int getJDBCMajorVersion() {
    return 4;
  }

  @Override
  public int getJDBCMinorVersion() {
    return 3;
  }

  @Override
  public int getSQLStateType() {
    return sqlStateSQL;
  }

  @Override
  public boolean locatorsUpdateCopy() {
    return false;
  }

  @Override
  public boolean supportsStatementPooling() {
    return false;
  }

  @Override
  public RowIdLifetime getRowIdLifetime() {
    return RowIdLifetime.ROWID_UNSUPPORTED;
  }

  @Override
  public boolean supportsStoredFunctionsUsingCallSyntax() {
    return false;
  }

  @Override
  public boolean autoCommitFailureClosesAllResultSets() {
    return false;
  }

  @Override
  public boolean generatedKeyAlwaysReturned() {
    return false;
  }

  @Override
  public boolean ownUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean ownInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersUpdatesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersDeletesAreVisible(int type) {
    return false;
  }

  @Override
  public boolean othersInsertsAreVisible(int type) {
    return false;
  }

  @Override
  public boolean updatesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean deletesAreDetected(int type) {
    return false;
  }

  @Override
  public boolean insertsAreDetected(int type) {
    return false;
  }
}
