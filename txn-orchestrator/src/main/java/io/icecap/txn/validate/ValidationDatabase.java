package io.icecap.txn.validate;

import io.icecap.replica.DuckDbReplica;
import io.icecap.replica.DuckDbTypes;
import io.icecap.replica.PartitionSql;
import io.icecap.txn.record.RecordStatement;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.duckdb.DuckDBConnection;

/**
 * In-memory DuckDB databases shaped like one version of a table (schema and partition spec), where
 * submitted statements are checked exactly as workers will run them.
 *
 * <p>The strict database has the table's constraints and no rows: statements bind against it, and
 * inserts run into it to find their rows' partitions. In the lenient database each connection has
 * its own table, without constraints, of one row of NULLs: each update and delete runs over it
 * alone (rolled back after), so that a type error of a constant expression such as {@code SET qty =
 * 'abc'} shows at submit. Both run in UTC, cannot reach files or the network (except the staging
 * directory), and have their configuration locked.
 */
final class ValidationDatabase implements AutoCloseable {
  /** Connections of both databases, used together by one validation. */
  record Lease(Connection strict, Connection lenient, PartitionSql partitions) {}

  private final Schema schema;
  private final PartitionSpec spec;
  private final DuckDBConnection strictRoot;
  private final DuckDBConnection lenientRoot;
  private final Deque<Lease> idle = new ArrayDeque<>();
  private final Map<String, String> stability;
  private final String lenientColumns;
  private final Map<String, java.util.Optional<FastPath>> fastPaths =
      new java.util.concurrent.ConcurrentHashMap<>();

  ValidationDatabase(Schema schema, PartitionSpec spec, Path stagingDir) throws SQLException {
    this.schema = schema;
    this.spec = spec;
    this.strictRoot = open(stagingDir);
    this.lenientRoot = open(stagingDir);
    String columns = DuckDbTypes.columnDefinitions(schema);
    this.lenientColumns = columns.replace(" NOT NULL", "");
    try (Statement strict = strictRoot.createStatement();
        Statement lenient = lenientRoot.createStatement()) {
      strict.execute("CREATE TABLE " + DuckDbReplica.ROWS + " (" + columns + ")");
      this.stability = functionStability(strict);
      lock(strict);
      lock(lenient);
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static DuckDBConnection open(Path stagingDir) throws SQLException {
    DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute(
          "SET allowed_directories = ['"
              + stagingDir.toAbsolutePath().toString().replace("'", "''")
              + "/']");
      statement.execute("SET enable_external_access = false");
    }
    return connection;
  }

  private static void lock(Statement statement) throws SQLException {
    statement.execute("SET lock_configuration = true");
  }

  private static Map<String, String> functionStability(Statement statement) throws SQLException {
    Map<String, String> stability = new HashMap<>();
    try (ResultSet functions =
        statement.executeQuery(
            "SELECT lower(function_name), stability FROM duckdb_functions()"
                + " WHERE stability IS NOT NULL")) {
      while (functions.next()) {
        stability.merge(functions.getString(1), functions.getString(2), ValidationDatabase::worse);
      }
    }
    return stability;
  }

  private static String worse(String a, String b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(String stability) {
    switch (stability) {
      case "VOLATILE":
        return 2;
      case "CONSISTENT_WITHIN_QUERY":
        return 1;
      default:
        return 0;
    }
  }

  /**
   * How a function's result varies: {@code CONSISTENT}, {@code CONSISTENT_WITHIN_QUERY} (the same
   * within one statement, like {@code now()}) or {@code VOLATILE} (new on every call, like {@code
   * random()}); null for a name DuckDB does not know.
   */
  String stability(String function) {
    return stability.get(function.toLowerCase(Locale.ROOT));
  }

  /** The fast path known for a statement text and parameter types; null when not known yet. */
  java.util.Optional<FastPath> fastPath(String key) {
    return fastPaths.get(key);
  }

  /** Remembers the fast path (or its absence) of a statement text and parameter types. */
  void rememberFastPath(String key, FastPath fastPath) {
    if (fastPaths.size() > 10_000) {
      // many distinct texts (literals written into the SQL): stop remembering, start again
      fastPaths.clear();
    }
    fastPaths.put(key, java.util.Optional.ofNullable(fastPath));
  }

  /** The table's schema. */
  Schema schema() {
    return schema;
  }

  /** The table's partition spec. */
  PartitionSpec spec() {
    return spec;
  }

  /** Borrows a pair of connections, each in a new transaction. */
  synchronized Lease borrow() throws SQLException {
    Lease lease = idle.poll();
    if (lease == null) {
      Connection strict = strictRoot.duplicate();
      Connection lenient = lenientRoot.duplicate();
      // a temporary table is the connection's own: concurrent validations never share its row
      try (Statement statement = lenient.createStatement()) {
        statement.execute("CREATE TEMP TABLE " + DuckDbReplica.ROWS + " (" + lenientColumns + ")");
        statement.execute("INSERT INTO " + DuckDbReplica.ROWS + " DEFAULT VALUES");
      }
      try (Statement statement = strict.createStatement()) {
        statement.execute(
            "CREATE TEMP TABLE "
                + RecordStatement.INSERT_STAGING
                + " AS SELECT * FROM "
                + DuckDbReplica.ROWS
                + " LIMIT 0");
      }
      lease = new Lease(strict, lenient, PartitionSql.register(strict, spec));
    }
    lease.strict().setAutoCommit(false);
    lease.lenient().setAutoCommit(false);
    return lease;
  }

  /** Returns connections after rolling back whatever they did. */
  void giveBack(Lease lease) {
    try {
      lease.strict().rollback();
      lease.lenient().rollback();
    } catch (SQLException e) {
      closeQuietly(lease.strict());
      closeQuietly(lease.lenient());
      return;
    }
    synchronized (this) {
      idle.push(lease);
    }
  }

  @Override
  public synchronized void close() {
    for (Lease lease : idle) {
      closeQuietly(lease.strict());
      closeQuietly(lease.lenient());
    }
    idle.clear();
    if (strictRoot != null) {
      closeQuietly(strictRoot);
    }
    if (lenientRoot != null) {
      closeQuietly(lenientRoot);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // an in-memory database: nothing is lost
    }
  }
}
