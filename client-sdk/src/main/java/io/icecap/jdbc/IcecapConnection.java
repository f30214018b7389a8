package io.icecap.jdbc;

import io.icecap.client.ErrorCode;
import io.icecap.client.IcecapException;
import io.icecap.client.IcecapSession;
import io.icecap.txn.record.TransactionResult;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * A JDBC connection over one {@link IcecapSession}.
 *
 * <ul>
 *   <li>In auto-commit mode (the default) each write is its own transaction, acknowledged and
 *       applied before {@code executeUpdate} returns its row count.
 *   <li>With auto-commit off, writes are kept until {@link #commit()} sends them as one transaction
 *       (they must all write one table); {@code executeUpdate} returns 0 for them, and the commit
 *       fails as a whole or not at all. Queries do not see the uncommitted writes.
 *   <li>A {@link PreparedStatement} batch in auto-commit mode is one transaction: all its rows or
 *       none.
 *   <li>Isolation is {@link #TRANSACTION_READ_COMMITTED}: each query reads the tables' latest
 *       snapshots (or, with {@code consistency=latest}, waits for the writes acknowledged before
 *       it).
 * </ul>
 */
final class IcecapConnection implements Connection {
  private final IcecapSession session;
  private final String url;
  private final List<IcecapStatement> statements = new ArrayList<>();
  private java.sql.Connection metadataDb;
  private boolean autoCommit = true;
  private boolean readOnly;
  private boolean closed;

  IcecapConnection(IcecapSession session, String url) {
    this.session = session;
    this.url = url;
  }

  IcecapSession session() {
    return session;
  }

  String url() {
    return url;
  }

  /**
   * Runs a write, DDL or transaction-control statement.
   *
   * @return its row count (0 for DDL, and for a write kept for the commit)
   */
  long update(String sql, Object[] parameters) throws SQLException {
    checkOpen();
    try {
      StatementKind kind = StatementKind.of(sql);
      if (readOnly && kind != StatementKind.CONTROL) {
        throw JdbcErrors.of(
            ErrorCode.TRANSACTION_STATE,
            "The connection is read-only: setReadOnly(false) before writing");
      }
      if (!autoCommit && !session.inTransaction() && kind == StatementKind.WRITE) {
        session.begin();
      }
      long rows = session.execute(sql, parameters);
      return rows == IcecapSession.PENDING ? 0 : rows;
    } catch (IcecapException e) {
      throw JdbcErrors.of(e);
    }
  }

  /** Runs a query with a timeout in seconds (0: none); its rows are DuckDB's. */
  ResultSet query(String sql, Object[] parameters, int timeoutSeconds) throws SQLException {
    checkOpen();
    try {
      session.setQueryTimeout(Duration.ofSeconds(timeoutSeconds));
      return session.query(sql, parameters);
    } catch (IcecapException e) {
      throw JdbcErrors.of(e);
    }
  }

  /**
   * Runs the statements as one transaction and returns their row counts; in a transaction that is
   * open already, keeps them for its commit.
   */
  int[] batch(String sql, List<Object[]> rows) throws SQLException {
    checkOpen();
    if (readOnly) {
      throw JdbcErrors.of(
          ErrorCode.TRANSACTION_STATE,
          "The connection is read-only: setReadOnly(false) before writing");
    }
    int[] counts = new int[rows.size()];
    boolean own = autoCommit && !session.inTransaction();
    try {
      if (!session.inTransaction()) {
        session.begin();
      }
      for (Object[] row : rows) {
        session.execute(sql, row);
      }
      if (!own) {
        java.util.Arrays.fill(counts, Statement.SUCCESS_NO_INFO);
        return counts;
      }
      TransactionResult result = session.commit();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = (int) Math.min(Integer.MAX_VALUE, result.rowCounts().get(i));
      }
      return counts;
    } catch (IcecapException e) {
      if (own && session.inTransaction()) {
        session.rollback();
      }
      SQLException cause = JdbcErrors.of(e);
      throw new java.sql.BatchUpdateException(
          e.getMessage()
              + (own ? "; no statement of the batch was applied" : "; the transaction is open"),
          cause.getSQLState(),
          cause.getErrorCode(),
          new int[0],
          cause);
    }
  }

  /** The in-memory DuckDB database that holds metadata result sets. */
  java.sql.Connection metadataDb() throws SQLException {
    checkOpen();
    if (metadataDb == null) {
      metadataDb = DriverManager.getConnection("jdbc:duckdb:");
    }
    return metadataDb;
  }

  void closed(IcecapStatement statement) {
    statements.remove(statement);
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw JdbcErrors.closed("connection");
    }
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    IcecapStatement statement = new IcecapStatement(this);
    statements.add(statement);
    return statement;
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    IcecapPreparedStatement statement = new IcecapPreparedStatement(this, sql);
    statements.add(statement);
    return statement;
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw JdbcErrors.unsupported("Stored procedures (prepareCall)");
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return sql;
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    if (autoCommit && !this.autoCommit && session.inTransaction()) {
      commit();
    }
    this.autoCommit = autoCommit;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw JdbcErrors.of(
          ErrorCode.TRANSACTION_STATE, "commit() needs auto-commit off: setAutoCommit(false)");
    }
    if (session.inTransaction()) {
      try {
        session.commit();
      } catch (IcecapException e) {
        throw JdbcErrors.of(e);
      }
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw JdbcErrors.of(
          ErrorCode.TRANSACTION_STATE, "rollback() needs auto-commit off: setAutoCommit(false)");
    }
    if (session.inTransaction()) {
      session.rollback();
    }
  }

  /** Closes the connection; writes kept in an open transaction are dropped, never submitted. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    for (IcecapStatement statement : List.copyOf(statements)) {
      statement.close();
    }
    closed = true;
    try {
      if (metadataDb != null) {
        metadataDb.close();
      }
    } finally {
      session.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return new IcecapDatabaseMetaData(this);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    this.readOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly;
  }

  /** Icecap has one catalog per connection; naming another one is an error. */
  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    if (catalog != null && !catalog.equalsIgnoreCase(getCatalog())) {
      throw JdbcErrors.of(
          ErrorCode.UNKNOWN_SCHEMA,
          "This connection reads catalog %s only; connect with catalog=%s to read %s",
          getCatalog(),
          catalog,
          catalog);
    }
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return session.config().catalogName();
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (level != TRANSACTION_READ_COMMITTED) {
      throw JdbcErrors.unsupported(
          "Isolation level " + level + " (Icecap connections are READ_COMMITTED)");
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return TRANSACTION_READ_COMMITTED;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkResultSetOptions(resultSetType, resultSetConcurrency, ResultSet.CLOSE_CURSORS_AT_COMMIT);
    return createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    checkResultSetOptions(resultSetType, resultSetConcurrency, ResultSet.CLOSE_CURSORS_AT_COMMIT);
    return prepareStatement(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return Map.of();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    if (map != null && !map.isEmpty()) {
      throw JdbcErrors.unsupported("User-defined type maps");
    }
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if (holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
      throw JdbcErrors.unsupported("Holdability other than CLOSE_CURSORS_AT_COMMIT");
    }
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw JdbcErrors.unsupported("Savepoints");
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    throw JdbcErrors.unsupported("Savepoints");
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw JdbcErrors.unsupported("Savepoints");
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    throw JdbcErrors.unsupported("Savepoints");
  }

  @Override
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    checkResultSetOptions(resultSetType, resultSetConcurrency, resultSetHoldability);
    return createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    checkResultSetOptions(resultSetType, resultSetConcurrency, resultSetHoldability);
    return prepareStatement(sql);
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    if (autoGeneratedKeys != Statement.NO_GENERATED_KEYS) {
      throw JdbcErrors.unsupported("Generated keys");
    }
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw JdbcErrors.unsupported("Clob");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw JdbcErrors.unsupported("Blob");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw JdbcErrors.unsupported("NClob");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw JdbcErrors.unsupported("SQLXML");
  }

  /** Whether the connection is open and its catalog's Redis answers within the timeout. */
  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "timeout cannot be negative: %d", timeout);
    }
    if (closed) {
      return false;
    }
    try {
      if (session.catalog() instanceof SupportsNamespaces namespaces) {
        namespaces.listNamespaces();
      }
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    throw new SQLClientInfoException(
        "Icecap connections keep no client information",
        Map.of(name, java.sql.ClientInfoStatus.REASON_UNKNOWN_PROPERTY));
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    if (!properties.isEmpty()) {
      throw new SQLClientInfoException("Icecap connections keep no client information", Map.of());
    }
  }

  @Override
  public String getClientInfo(String name) throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    checkOpen();
    return new Properties();
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    throw JdbcErrors.unsupported("createArrayOf");
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw JdbcErrors.unsupported("createStruct");
  }

  /** Sets the namespace of table names written without one. */
  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    try {
      session.setDefaultNamespace(schema);
    } catch (IcecapException e) {
      throw JdbcErrors.of(e);
    }
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return session.defaultNamespace();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "abort needs an executor");
    }
    executor.execute(
        () -> {
          try {
            close();
          } catch (SQLException e) {
            // aborting: nothing to report to
          }
        });
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    throw JdbcErrors.unsupported(
        "setNetworkTimeout (set redis.timeout-ms in the URL or connection properties)");
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return 0;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(session)) {
      return type.cast(session);
    }
    throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "Cannot unwrap a connection as %s", type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this) || type.isInstance(session);
  }

  private void checkResultSetOptions(int type, int concurrency, int holdability)
      throws SQLException {
    checkOpen();
    if (type != ResultSet.TYPE_FORWARD_ONLY) {
      throw JdbcErrors.unsupported("Scrollable result sets");
    }
    if (concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw JdbcErrors.unsupported("Updatable result sets");
    }
    setHoldability(holdability);
  }
}
