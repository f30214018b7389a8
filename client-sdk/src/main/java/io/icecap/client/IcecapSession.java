package io.icecap.client;

import io.icecap.catalog.RedisCatalogException;
import io.icecap.catalog.RedisPermissionException;
import io.icecap.txn.CommitToken;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.TableNotWritableException;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.log.AppendOutcomeUnknownException;
import io.icecap.txn.record.TransactionResult;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.SqlLexer;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.Token;
import io.icecap.txn.sql.UnsupportedStatementException;
import io.icecap.txn.validate.SandboxedDuckDb;
import io.icecap.worker.maintenance.MaintenanceBusyException;
import io.icecap.worker.maintenance.MaintenanceProgress;
import io.icecap.worker.maintenance.MaintenanceReport;
import io.icecap.worker.maintenance.MaintenanceRequest;
import io.icecap.worker.maintenance.TablePropertyException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.duckdb.DuckDBResultSet;

/**
 * A session: SQL against the tables of one catalog. Writes go through the table's transaction log
 * and, by default, wait for their result; queries run in DuckDB over views of the tables'
 * snapshots. A session is used by one thread at a time, like a JDBC connection.
 *
 * <p>Within {@link #begin()} … {@link #commit()}, the writes are kept in the session and submitted
 * at commit as one transaction, which must write one table.
 */
public final class IcecapSession implements AutoCloseable {
  /** What {@link #execute} returns for a write buffered in an open transaction. */
  public static final long PENDING = -1;

  /** The most rows in one record batch of {@link #queryArrow}. */
  public static final long ARROW_BATCH_ROWS = 65_536;

  private final Environment environment;
  private final IcecapConfig config;
  private final Connection duckdb;
  private final ReadPlanner planner;
  private final Ddl ddl;
  private final TableNames names;
  private Consistency consistency;
  private Duration queryTimeout = Duration.ZERO;
  private volatile PreparedStatement running;
  private volatile boolean cancelled;
  private volatile boolean timedOut;
  private List<ReadPlanner.Held> held = List.of();
  private ResultSet arrowRows;
  private List<SqlStatement> transaction;
  private TableIdentifier transactionTable;
  private boolean closed;

  IcecapSession(Environment environment, IcecapConfig config) {
    this.environment = environment;
    this.config = config;
    this.consistency = config.consistency();
    try {
      this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement statement = duckdb.createStatement()) {
        statement.execute("SET TimeZone = 'UTC'");
        // the files a query reads never change under their names: keep their footers
        statement.execute("SET parquet_metadata_cache = true");
      }
      if (!config.localFileAccess()) {
        SandboxedDuckDb.confine(duckdb, environment.queryDirectories());
      }
    } catch (SQLException e) {
      throw new IcecapException(
          ErrorCode.INTERNAL, e, "Cannot open the session's DuckDB database: %s", e.getMessage());
    }
    this.names =
        new TableNames(
            config.catalogName(),
            config.defaultNamespace(),
            namespace -> guard(() -> environment.catalog.namespaceExists(namespace)));
    this.planner = new ReadPlanner(environment, names, config.writeTimeout());
    this.ddl = new Ddl(duckdb, names, environment.catalog);
  }

  /**
   * Runs a write or DDL statement. A write waits for its result and returns the rows it inserted,
   * updated or deleted; in an open transaction it is kept for the commit and {@link #PENDING} is
   * returned. DDL returns 0. {@code BEGIN}, {@code COMMIT} and {@code ROLLBACK} work as the methods
   * of those names.
   *
   * @throws IcecapException with {@link ErrorCode#WRITE_REFUSED} when the write is refused (nothing
   *     was appended), {@link ErrorCode#WRITE_ABORTED} when it failed as it was applied (it has no
   *     effect), {@link ErrorCode#WRITE_TIMEOUT} when it is in the log but not applied within the
   *     configured wait (or its result could not be read), {@link ErrorCode#WRITE_OUTCOME_UNKNOWN}
   *     ({@link WriteOutcomeUnknownException}) when its request was sent but no answer came back:
   *     it may be in the log; {@link ErrorCode#CONNECTION_FAILED} only when Redis could not be
   *     reached before the request was sent, so the write is not in the log
   */
  public long execute(String sql, Object... parameters) {
    checkOpen();
    List<Token> tokens = tokens(sql);
    if (tokens.isEmpty()) {
      throw new IcecapException(ErrorCode.SYNTAX_ERROR, "The statement is empty");
    }
    Token first = tokens.get(0);
    if (first.isKeyword("BEGIN") || (first.isKeyword("START") && tokens.size() > 1)) {
      begin();
      return 0;
    }
    if (first.isKeyword("COMMIT") || first.isKeyword("END")) {
      commit();
      return 0;
    }
    if (first.isKeyword("ROLLBACK") || first.isKeyword("ABORT")) {
      rollback();
      return 0;
    }
    if (Ddl.isDdl(tokens)) {
      if (transaction != null) {
        throw new IcecapException(
            ErrorCode.TRANSACTION_STATE,
            "DDL cannot run inside a transaction: COMMIT or ROLLBACK first");
      }
      if (parameters.length > 0) {
        throw new IcecapException(ErrorCode.INVALID_PARAMETER, "DDL takes no parameters");
      }
      try {
        guard(() -> ddl.run(sql));
      } finally {
        for (TableIdentifier changed : ddl.changed()) {
          environment.orchestrator.forget(changed);
          environment.tables.forget(changed);
        }
      }
      return 0;
    }
    if (!isWrite(first)) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED,
          "execute runs INSERT, UPDATE, DELETE and DDL; run %s with query",
          first.text().toUpperCase(Locale.ROOT));
    }
    TableIdentifier table = target(sql);
    SqlStatement statement = new SqlStatement(sql, Arrays.asList(parameters));
    if (transaction != null) {
      if (transactionTable != null && !transactionTable.equals(table)) {
        throw new IcecapException(
            ErrorCode.TRANSACTION_STATE,
            "A transaction writes one table: this one writes %s, the statement writes %s; commit"
                + " first",
            transactionTable,
            table);
      }
      transactionTable = table;
      transaction.add(statement);
      return PENDING;
    }
    return result(await(submit(table, List.of(statement)))).totalRows();
  }

  /**
   * Submits a write and returns once it is in the log (acknowledged), without waiting for it to be
   * applied.
   *
   * @throws WriteOutcomeUnknownException when its request was sent but no answer came back
   */
  public CommitToken executeAsync(String sql, Object... parameters) {
    checkOpen();
    if (transaction != null) {
      throw new IcecapException(
          ErrorCode.TRANSACTION_STATE,
          "executeAsync is not available inside a transaction: the writes are submitted at commit");
    }
    List<Token> tokens = tokens(sql);
    if (tokens.isEmpty() || !isWrite(tokens.get(0))) {
      throw new IcecapException(
          ErrorCode.UNSUPPORTED, "executeAsync runs INSERT, UPDATE and DELETE statements");
    }
    return submit(target(sql), List.of(new SqlStatement(sql, Arrays.asList(parameters))));
  }

  /**
   * Waits for the result of a write submitted with {@link #executeAsync}.
   *
   * @return its result: committed with row counts, or aborted with the error
   */
  public TransactionResult await(CommitToken token) {
    checkOpen();
    try {
      return environment.orchestrator.await(token, config.writeTimeout());
    } catch (TimeoutException e) {
      throw new IcecapException(ErrorCode.WRITE_TIMEOUT, e, "%s", e.getMessage());
    } catch (RedisCatalogException e) {
      // the write is in the log whatever Redis answers now: it is late, not lost
      throw new IcecapException(
          ErrorCode.WRITE_TIMEOUT,
          e,
          "Transaction %d on %s is in the log, but its result cannot be read: %s; wait again"
              + " with its token",
          token.sequence(),
          token.table(),
          e.getMessage());
    }
  }

  /**
   * Looks a write up by its transaction id (as a {@link WriteOutcomeUnknownException} or {@link
   * CommitToken#transactionId()} gives it) in the table's log. The log remembers the ids of the
   * writes appended in the last two minutes at least.
   *
   * @param table {@code namespace.name} (parts with dots in double quotes, as in SQL), or a name in
   *     the default namespace
   * @return the write's token, whose result {@link #await} gives; empty when no write of that id
   *     was appended in that time
   */
  public Optional<CommitToken> findTransaction(String table, String transactionId) {
    checkOpen();
    java.util.Objects.requireNonNull(transactionId, "transactionId is null");
    TableIdentifier identifier = identifierOf(table);
    return guard(() -> environment.orchestrator.find(identifier, transactionId));
  }

  /**
   * The result of a write without waiting for it: empty while it is pending, and once its result is
   * no longer kept (results are kept a few minutes after the write is applied).
   */
  public Optional<TransactionResult> result(CommitToken token) {
    checkOpen();
    java.util.Objects.requireNonNull(token, "token is null");
    return guard(() -> environment.orchestrator.result(token));
  }

  /** Starts a transaction: writes are kept until {@link #commit()}. */
  public void begin() {
    checkOpen();
    if (transaction != null) {
      throw new IcecapException(
          ErrorCode.TRANSACTION_STATE, "A transaction is open already: COMMIT or ROLLBACK it");
    }
    transaction = new ArrayList<>();
    transactionTable = null;
  }

  /**
   * Submits the transaction's writes as one log record and waits for its result.
   *
   * @return the result, with one row count per statement (committed with no counts when the
   *     transaction had no writes)
   * @throws IcecapException with {@link ErrorCode#WRITE_ABORTED} when it failed as it was applied;
   *     the transaction then has no effect in any partition
   */
  public TransactionResult commit() {
    checkOpen();
    if (transaction == null) {
      throw new IcecapException(ErrorCode.TRANSACTION_STATE, "No transaction is open: BEGIN first");
    }
    List<SqlStatement> statements = transaction;
    TableIdentifier table = transactionTable;
    transaction = null;
    transactionTable = null;
    if (statements.isEmpty()) {
      return TransactionResult.committed(List.of());
    }
    return result(await(submit(table, statements)));
  }

  /** Forgets the transaction's writes: nothing was submitted. */
  public void rollback() {
    checkOpen();
    transaction = null;
    transactionTable = null;
  }

  /** Whether a transaction is open. */
  public boolean inTransaction() {
    return transaction != null;
  }

  /**
   * Runs a query and returns its rows. The tables it names are read at their latest snapshot
   * ({@link Consistency#SNAPSHOT}) or after the writes acknowledged before it ({@link
   * Consistency#LATEST}); {@code FROM t AT (VERSION => <snapshot id>)} and {@code AT (TIMESTAMP =>
   * '...')} read a table as it was. The result set is DuckDB's; closing it ends the query.
   */
  public ResultSet query(String sql, Object... parameters) {
    return query(null, sql, parameters);
  }

  /**
   * Runs a query and returns its rows as Arrow record batches of up to {@value #ARROW_BATCH_ROWS}
   * rows, exported by DuckDB through the Arrow C data interface without a per-value copy. Reads the
   * tables as {@link #query} does. The reader's buffers come from {@code allocator}; close the
   * reader when done. It reads a result the session keeps until its next query or its close.
   *
   * <p>Needs {@code org.apache.arrow:arrow-vector}, {@code arrow-c-data} and a memory module (such
   * as {@code arrow-memory-unsafe}) on the class path, and, on Java 17, the JVM option {@code
   * --add-opens=java.base/java.nio=ALL-UNNAMED}.
   */
  public ArrowReader queryArrow(BufferAllocator allocator, String sql, Object... parameters) {
    return queryArrow(allocator, ARROW_BATCH_ROWS, sql, parameters);
  }

  /** {@link #queryArrow(BufferAllocator, String, Object...)} with batches of up to batchRows. */
  public ArrowReader queryArrow(
      BufferAllocator allocator, long batchRows, String sql, Object... parameters) {
    java.util.Objects.requireNonNull(allocator, "allocator is null");
    if (batchRows <= 0) {
      throw new IcecapException(
          ErrorCode.INVALID_PARAMETER, "batchRows must be positive: %d", batchRows);
    }
    ResultSet rows = query(null, sql, parameters);
    try {
      ArrowReader reader =
          (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, batchRows);
      arrowRows = rows;
      return reader;
    } catch (SQLException | RuntimeException e) {
      try {
        rows.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof SQLException sqlException) {
        throw QueryErrors.of(sqlException, sql);
      }
      throw new IcecapException(
          ErrorCode.INTERNAL, e, "Cannot export the query's rows as Arrow: %s", e.getMessage());
    }
  }

  /** Runs a query with every table as it was at {@code time} (its last snapshot before). */
  public ResultSet queryAsOf(Instant time, String sql, Object... parameters) {
    return query(time, sql, parameters);
  }

  private ResultSet query(Instant asOf, String sql, Object... parameters) {
    checkOpen();
    releaseHeld();
    cancelled = false;
    timedOut = false;
    ScheduledFuture<?> timer =
        queryTimeout.isZero()
            ? null
            : environment.timers.schedule(
                () -> {
                  timedOut = true;
                  cancel();
                },
                queryTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    try {
      List<Object> values = Arrays.asList(parameters);
      ReadPlanner.Prepared prepared =
          guard(() -> planner.prepare(duckdb, sql, values, consistency, asOf));
      held = prepared.held();
      PreparedStatement statement = duckdb.prepareStatement(prepared.sql());
      try {
        for (int i = 0; i < parameters.length; i++) {
          QueryParameters.bind(statement, i + 1, parameters[i]);
        }
        running = statement;
        checkCancelled(null);
        ResultSet rows = statement.executeQuery();
        statement.closeOnCompletion();
        return ResultRows.wrap(rows);
      } catch (SQLException | RuntimeException e) {
        statement.close();
        throw e;
      } finally {
        running = null;
      }
    } catch (SQLException e) {
      checkCancelled(e);
      throw QueryErrors.of(e, sql);
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  private void checkCancelled(Exception cause) {
    if (timedOut) {
      throw new IcecapException(
          ErrorCode.QUERY_TIMEOUT,
          cause,
          "The query ran past the session's query timeout of %s and was cancelled",
          queryTimeout);
    }
    if (cancelled) {
      throw new IcecapException(ErrorCode.QUERY_CANCELLED, cause, "The query was cancelled");
    }
  }

  /**
   * Cancels the query this session is running, from any thread: it ends with {@link
   * ErrorCode#QUERY_CANCELLED}. A query still fetching its files stops once they are fetched. Does
   * nothing when no query runs; writes are not cancelled (an acknowledged write is in the log).
   */
  public void cancel() {
    cancelled = true;
    PreparedStatement statement = running;
    if (statement != null) {
      try {
        statement.cancel();
      } catch (SQLException e) {
        // the statement finished or closed meanwhile: nothing is left to cancel
      }
    }
  }

  /** How long a query may run before it is cancelled; zero means no limit. */
  public Duration queryTimeout() {
    return queryTimeout;
  }

  /**
   * Sets how long each query may run before it is cancelled with {@link ErrorCode#QUERY_TIMEOUT};
   * zero means no limit.
   */
  public void setQueryTimeout(Duration timeout) {
    checkOpen();
    java.util.Objects.requireNonNull(timeout, "timeout is null");
    if (timeout.isNegative()) {
      throw new IcecapException(
          ErrorCode.INVALID_PARAMETER, "The query timeout cannot be negative: %s", timeout);
    }
    this.queryTimeout = timeout;
  }

  /** What queries see; see {@link Consistency}. */
  public Consistency consistency() {
    return consistency;
  }

  public void setConsistency(Consistency consistency) {
    checkOpen();
    this.consistency = java.util.Objects.requireNonNull(consistency, "consistency is null");
  }

  /** The namespace of table names written without one, or null when there is none. */
  public String defaultNamespace() {
    return names.defaultNamespace();
  }

  /**
   * Sets the namespace of table names written without one, for this session only; a nested
   * namespace is written with its levels joined by dots ({@code a.b}).
   *
   * @throws IcecapException with {@link ErrorCode#UNKNOWN_SCHEMA} when the namespace does not exist
   */
  public void setDefaultNamespace(String namespace) {
    checkOpen();
    if (namespace != null) {
      if (!guard(
          () ->
              environment.catalog.namespaceExists(TableNames.namespace(namespace))
                  || environment.catalog.namespaceExists(Namespace.of(namespace)))) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_SCHEMA,
            "Schema %s does not exist: create it with CREATE SCHEMA %s",
            namespace,
            namespace);
      }
    }
    names.setDefaultNamespace(namespace);
  }

  /**
   * Loads a table's Iceberg metadata: its schema, partition spec and snapshots.
   *
   * @param name {@code namespace.name} (parts with dots in double quotes, as in SQL), or a name in
   *     the default namespace
   * @throws IcecapException with {@link ErrorCode#UNKNOWN_TABLE} when there is no such table
   */
  public Table table(String name) {
    checkOpen();
    TableIdentifier identifier = identifierOf(name);
    try {
      return guard(() -> environment.catalog.loadTable(identifier));
    } catch (IcecapException e) {
      if (e.code() == ErrorCode.UNKNOWN_TABLE) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_TABLE, e, "Table %s does not exist (icecap tables lists them)", name);
      }
      throw e;
    }
  }

  private TableIdentifier identifierOf(String name) {
    return names.identifier(name);
  }

  /**
   * The state of a table's transaction log, with up to {@code maxEntries} of its pending
   * transactions.
   *
   * @param table {@code namespace.name} (parts with dots in double quotes, as in SQL), or a name in
   *     the default namespace
   */
  public LogStatus logStatus(String table, int maxEntries) {
    checkOpen();
    if (maxEntries < 0) {
      throw new IcecapException(
          ErrorCode.INVALID_PARAMETER, "maxEntries cannot be negative: %d", maxEntries);
    }
    TableIdentifier identifier = identifierOf(table);
    return guard(
        () -> LogStatuses.read(environment.logs.table(identifier), identifier, maxEntries));
  }

  /**
   * Runs maintenance on a table now: compaction, snapshot expiry and orphan clean-up, as the
   * request asks, by the table's properties ({@code history.expire.*}, {@code
   * write.target-file-size-bytes}, {@code icecap.maintenance.*}). It runs in this process and may
   * take long; progress is reported to {@code progress} from this thread.
   *
   * @param table {@code namespace.name} (parts with dots in double quotes, as in SQL), or a name in
   *     the default namespace
   * @return what each task did, or in a dry run would do
   * @throws IcecapException with {@link ErrorCode#UNKNOWN_TABLE} when there is no such table,
   *     {@link ErrorCode#INVALID_PROPERTY} when a property the maintenance reads has a value it
   *     cannot use (nothing was changed), {@link ErrorCode#BUSY} when another run maintains the
   *     table now (nothing was done)
   */
  public MaintenanceReport maintain(
      String table, MaintenanceRequest request, MaintenanceProgress progress) {
    checkOpen();
    java.util.Objects.requireNonNull(request, "request is null");
    java.util.Objects.requireNonNull(progress, "progress is null");
    TableIdentifier identifier = identifierOf(table);
    try {
      return guard(() -> environment.maintenance().run(identifier, request, progress));
    } catch (IcecapException e) {
      if (e.code() == ErrorCode.UNKNOWN_TABLE) {
        throw new IcecapException(
            ErrorCode.UNKNOWN_TABLE,
            e,
            "Cannot maintain table %s: it does not exist (icecap tables lists them)",
            table);
      }
      throw e;
    } finally {
      environment.tables.forget(identifier);
    }
  }

  /** {@link #maintain(String, MaintenanceRequest, MaintenanceProgress)} reporting no progress. */
  public MaintenanceReport maintain(String table, MaintenanceRequest request) {
    return maintain(table, request, MaintenanceProgress.NONE);
  }

  /**
   * A table's maintenance as its log records it: when each task last ran, what maintenance removed
   * in total, the last run's error.
   *
   * @param table {@code namespace.name} (parts with dots in double quotes, as in SQL), or a name in
   *     the default namespace
   */
  public MaintenanceStatus maintenanceStatus(String table) {
    checkOpen();
    TableIdentifier identifier = identifierOf(table);
    return guard(
        () -> MaintenanceStatus.of(identifier, environment.logs.table(identifier).maintenance()));
  }

  /** The counters of the read cache this session shares with the others of its configuration. */
  public CacheStats cacheStats() {
    return environment.cache.stats();
  }

  /** The Iceberg catalog (for listing namespaces and tables, and reading metadata). */
  public Catalog catalog() {
    return environment.catalog;
  }

  Environment environment() {
    checkOpen();
    return environment;
  }

  /** The configuration the session was opened with. */
  public IcecapConfig config() {
    return config;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Closes the session; an open transaction is rolled back (nothing was submitted). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    transaction = null;
    releaseHeld();
    try {
      duckdb.close();
    } catch (SQLException e) {
      // the in-memory database is gone with its connection
    }
    environment.release();
  }

  private CommitToken submit(TableIdentifier table, List<SqlStatement> statements) {
    return guard(() -> environment.orchestrator.submit(table, statements));
  }

  private static TransactionResult result(TransactionResult result) {
    if (!result.committed()) {
      throw new IcecapException(ErrorCode.WRITE_ABORTED, "%s", result.error());
    }
    return result;
  }

  private TableIdentifier target(String sql) {
    DmlStatement statement;
    try {
      statement = DmlParser.parse(sql);
    } catch (SqlSyntaxException e) {
      throw new IcecapException(ErrorCode.SYNTAX_ERROR, e, "%s", e.getMessage());
    } catch (UnsupportedStatementException e) {
      throw new IcecapException(ErrorCode.UNSUPPORTED, e, "%s", e.getMessage());
    }
    return names.identifier(statement.target().parts());
  }

  private static boolean isWrite(Token first) {
    return first.isKeyword("INSERT") || first.isKeyword("UPDATE") || first.isKeyword("DELETE");
  }

  private static List<Token> tokens(String sql) {
    if (sql == null) {
      throw new IcecapException(ErrorCode.SYNTAX_ERROR, "The statement is null");
    }
    try {
      return SqlLexer.tokenize(sql).stream().filter(t -> !t.isPunctuation(';')).toList();
    } catch (SqlSyntaxException e) {
      throw new IcecapException(ErrorCode.SYNTAX_ERROR, e, "%s", e.getMessage());
    }
  }

  /** Runs an operation, turning the lower layers' errors into coded ones. */
  private static <T> T guard(java.util.function.Supplier<T> operation) {
    try {
      return operation.get();
    } catch (IcecapException e) {
      throw e;
    } catch (TablePropertyException e) {
      throw new IcecapException(ErrorCode.INVALID_PROPERTY, e, "%s", e.getMessage());
    } catch (MaintenanceBusyException e) {
      throw new IcecapException(ErrorCode.BUSY, e, "%s", e.getMessage());
    } catch (CommitFailedException e) {
      throw new IcecapException(ErrorCode.COMMIT_CONFLICT, e, "%s; run it again", e.getMessage());
    } catch (UnsupportedOperationException e) {
      throw new IcecapException(ErrorCode.UNSUPPORTED, e, "%s", e.getMessage());
    } catch (TableNotWritableException e) {
      throw new IcecapException(ErrorCode.UNSUPPORTED, e, "%s", e.getMessage());
    } catch (TransactionRejectedException e) {
      throw new IcecapException(ErrorCode.WRITE_REFUSED, e, "%s", e.getMessage());
    } catch (AppendOutcomeUnknownException e) {
      throw new WriteOutcomeUnknownException(e);
    } catch (NoSuchTableException e) {
      throw new IcecapException(ErrorCode.UNKNOWN_TABLE, e, "%s", e.getMessage());
    } catch (RedisPermissionException e) {
      throw new IcecapException(ErrorCode.PERMISSION_DENIED, e, "%s", e.getMessage());
    } catch (RedisCatalogException e) {
      throw new IcecapException(ErrorCode.CONNECTION_FAILED, e, "%s", e.getMessage());
    } catch (java.io.UncheckedIOException e) {
      throw new IcecapException(ErrorCode.STORAGE_ERROR, e, "%s", e.getMessage());
    }
  }

  private static void guard(Runnable operation) {
    guard(
        () -> {
          operation.run();
          return null;
        });
  }

  private void releaseHeld() {
    if (arrowRows != null) {
      try {
        arrowRows.close();
      } catch (SQLException e) {
        // the result's statement is gone with it
      }
      arrowRows = null;
    }
    planner.release(held);
    held = List.of();
  }

  private void checkOpen() {
    if (closed) {
      throw new IcecapException(ErrorCode.SESSION_CLOSED, "The session is closed");
    }
  }
}
