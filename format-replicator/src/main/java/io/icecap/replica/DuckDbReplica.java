package io.icecap.replica;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.iceberg.Schema;

/**
 * A partition's DuckDB replica: one database file holding the partition's rows (table {@value
 * #ROWS}) and its {@link ReplicaState}.
 */
public final class DuckDbReplica implements AutoCloseable {
  /** The name of the table holding the partition's rows. */
  public static final String ROWS = "rows";

  private final Path file;
  private final Connection connection;
  private ReplicaState state;

  private DuckDbReplica(Path file, Connection connection, ReplicaState state) {
    this.file = file;
    this.connection = connection;
    this.state = state;
  }

  /**
   * Creates a new replica file with an empty rows table of {@code schema}.
   *
   * @throws ReplicaException when the file exists or cannot be created
   */
  public static DuckDbReplica create(Path file, Schema schema, ReplicaState state) {
    requireNonNull(state, "state is null");
    if (Files.exists(file)) {
      throw new ReplicaException("Cannot create replica %s: the file exists", file);
    }
    Connection connection = connect(file);
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE " + ROWS + " (" + DuckDbTypes.columnDefinitions(schema) + ")");
      state.write(connection);
      return new DuckDbReplica(file, connection, state);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw new ReplicaException(e, "Cannot create replica %s: %s", file, e.getMessage());
    }
  }

  /**
   * Opens an existing replica and reads its state.
   *
   * @throws ReplicaException when the file is missing, is not a DuckDB database, or is not an
   *     Icecap replica
   */
  public static DuckDbReplica open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ReplicaException("Cannot open replica %s: no such file", file);
    }
    Connection connection = connect(file);
    try {
      ReplicaState state = ReplicaState.read(connection, file.toString());
      return new DuckDbReplica(file, connection, state);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new ReplicaException(e, "Cannot read replica %s: %s", file, e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static Connection connect(Path file) {
    try {
      return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new ReplicaException(
          e,
          "Cannot open %s as a DuckDB database (corrupt, truncated or not DuckDB): %s",
          file,
          e.getMessage());
    }
  }

  /** The replica's file. */
  public Path file() {
    return file;
  }

  /** The open connection to the replica; its rows are in table {@value #ROWS}. */
  public Connection connection() {
    return connection;
  }

  /** What the replica reflects. */
  public ReplicaState state() {
    return state;
  }

  /** Records a new state in the replica file. */
  public void updateState(ReplicaState newState) {
    try {
      newState.write(connection);
      this.state = newState;
    } catch (SQLException e) {
      throw new ReplicaException(
          e, "Cannot update the state of replica %s: %s", file, e.getMessage());
    }
  }

  /** Writes everything to the file ({@code CHECKPOINT}) so it can be copied. */
  public void checkpoint() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new ReplicaException(e, "Cannot checkpoint replica %s: %s", file, e.getMessage());
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing releases the file; an error here leaves nothing to undo
    }
  }
}
