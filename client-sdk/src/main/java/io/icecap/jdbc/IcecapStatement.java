package io.icecap.jdbc;

import io.icecap.client.ErrorCode;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC statement. A statement starting with SELECT, WITH, FROM, VALUES or TABLE is a query; any
 * other runs as a write, DDL or transaction control. The query timeout and {@link #cancel()} apply
 * to queries; a write, once acknowledged, is in the log and is not cancelled.
 */
class IcecapStatement implements Statement {
  private static final Object[] NO_PARAMETERS = new Object[0];

  final IcecapConnection connection;
  private final List<String> batch = new ArrayList<>();
  private ResultSet results;
  private long updateCount = -1;
  private long maxRows;
  private int queryTimeout;
  private volatile boolean querying;
  private int fetchSize;
  private boolean closeOnCompletion;
  private boolean closed;

  IcecapStatement(IcecapConnection connection) {
    this.connection = connection;
  }

  /** Runs a statement with parameters; returns true when it produced rows. */
  boolean run(String sql, Object[] parameters) throws SQLException {
    checkOpen();
    closeResults();
    updateCount = -1;
    if (StatementKind.of(sql) == StatementKind.QUERY) {
      runQuery(sql, parameters);
      return true;
    }
    updateCount = connection.update(sql, parameters);
    return false;
  }

  ResultSet runQuery(String sql, Object[] parameters) throws SQLException {
    StatementKind kind = StatementKind.of(sql);
    if (kind == StatementKind.WRITE || kind == StatementKind.CONTROL) {
      throw JdbcErrors.of(
          ErrorCode.UNSUPPORTED,
          "executeQuery runs queries (SELECT, WITH, FROM, VALUES, TABLE); run writes and DDL with"
              + " executeUpdate or execute");
    }
    checkOpen();
    closeResults();
    updateCount = -1;
    querying = true;
    try {
      results =
          JdbcResults.wrap(
              connection.query(sql, parameters, queryTimeout), this, maxRows, this::completed);
    } finally {
      querying = false;
    }
    return results;
  }

  long runUpdate(String sql, Object[] parameters) throws SQLException {
    if (StatementKind.of(sql) == StatementKind.QUERY) {
      throw JdbcErrors.of(
          ErrorCode.UNSUPPORTED, "executeUpdate does not run queries; use executeQuery");
    }
    run(sql, parameters);
    return updateCount;
  }

  private void completed() {
    if (closeOnCompletion) {
      try {
        close();
      } catch (SQLException e) {
        // the statement holds nothing else
      }
    }
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return runQuery(sql, NO_PARAMETERS);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, runUpdate(sql, NO_PARAMETERS));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return runUpdate(sql, NO_PARAMETERS);
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return run(sql, NO_PARAMETERS);
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeResults();
    } finally {
      connection.closed(this);
    }
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return 0;
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
    if (max != 0) {
      throw JdbcErrors.unsupported("A maximum field size");
    }
  }

  @Override
  public int getMaxRows() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeMaxRows());
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "maxRows cannot be negative: %d", max);
    }
    maxRows = max;
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeout;
  }

  /** Sets how many seconds a query may run before it fails with a {@code SQLTimeoutException}. */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw JdbcErrors.of(
          ErrorCode.INVALID_PARAMETER, "The query timeout cannot be negative: %d", seconds);
    }
    queryTimeout = seconds;
  }

  @Override
  public void cancel() throws SQLException {
    checkOpen();
    if (querying) {
      connection.session().cancel();
    }
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
  public void setCursorName(String name) throws SQLException {
    throw JdbcErrors.unsupported("Named cursors");
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return results;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeUpdateCount());
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return updateCount;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    checkOpen();
    if (current != KEEP_CURRENT_RESULT) {
      closeResults();
    }
    results = null;
    updateCount = -1;
    return false;
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD) {
      throw JdbcErrors.unsupported("Fetch directions other than FETCH_FORWARD");
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return ResultSet.FETCH_FORWARD;
  }

  /** Records the hint; query results are materialized whole. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw JdbcErrors.of(
          ErrorCode.INVALID_PARAMETER, "The fetch size cannot be negative: %d", rows);
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    checkOpen();
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    checkOpen();
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    batch.add(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  /**
   * Runs the batch's statements one after the other, each its own transaction in auto-commit mode;
   * a failure stops the batch, and the exception's update counts are those of the statements run.
   */
  @Override
  public int[] executeBatch() throws SQLException {
    long[] counts = executeLargeBatch();
    int[] narrow = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      narrow[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
    }
    return narrow;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<String> statements = List.copyOf(batch);
    batch.clear();
    long[] counts = new long[statements.size()];
    for (int i = 0; i < statements.size(); i++) {
      try {
        counts[i] = runUpdate(statements.get(i), NO_PARAMETERS);
      } catch (SQLException e) {
        long[] done = java.util.Arrays.copyOf(counts, i);
        throw new BatchUpdateException(
            "Statement " + (i + 1) + " of the batch failed: " + e.getMessage(),
            e.getSQLState(),
            e.getErrorCode(),
            done,
            e);
      }
    }
    return counts;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    checkNoKeys(autoGeneratedKeys);
    return executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    checkNoKeys(autoGeneratedKeys);
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.unsupported("Generated keys");
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return false;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw JdbcErrors.of(ErrorCode.INVALID_PARAMETER, "Cannot unwrap a statement as %s", type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw JdbcErrors.closed("statement");
    }
    connection.checkOpen();
  }

  private void checkNoKeys(int autoGeneratedKeys) throws SQLException {
    if (autoGeneratedKeys != NO_GENERATED_KEYS) {
      throw JdbcErrors.unsupported("Generated keys");
    }
  }

  private void closeResults() throws SQLException {
    ResultSet current = results;
    results = null;
    if (current != null) {
      boolean wasClosing = closeOnCompletion;
      closeOnCompletion = false;
      try {
        current.close();
      } finally {
        closeOnCompletion = wasClosing;
      }
    }
  }
}
