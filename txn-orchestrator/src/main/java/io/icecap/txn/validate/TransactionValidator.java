package io.icecap.txn.validate;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.SqlStatement;
import io.icecap.txn.TableNotWritableException;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;

/**
 * Checks a submitted transaction exactly as workers will run it and turns it into a log record:
 * parameters inlined as literals, time functions bound to their value at submit, the target renamed
 * to the partition table, inserts routed to their partitions by Iceberg's transforms, and updates
 * and deletes given the partition values their WHERE clause allows.
 *
 * <p>Refused, with nothing appended: what is not one INSERT, UPDATE or DELETE of the transaction's
 * table; syntax, name and type errors; volatile functions ({@code random()}, {@code uuid()});
 * reading another table or a file; subqueries; {@code RETURNING}, {@code ON CONFLICT}, {@code
 * UPDATE ... FROM} and {@code DELETE ... USING}; updates of partition source columns; statements
 * and inserts over the size limits; writes to a table Icecap does not write ({@link
 * WritableTables}: format version 3, or columns that differ only in case), with {@link
 * TableNotWritableException}.
 */
public final class TransactionValidator implements AutoCloseable {
  private final Path stagingDir;
  private final ValidationLimits limits;
  private final Map<String, ValidationDatabase> databases = new ConcurrentHashMap<>();
  private final RecordCheck check = new RecordCheck();

  /**
   * Creates a validator.
   *
   * @param stagingDir a local directory for the Parquet files of large inserts
   * @param limits the size limits
   */
  public TransactionValidator(Path stagingDir, ValidationLimits limits) {
    this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
    this.limits = requireNonNull(limits, "limits is null");
    try {
      Files.createDirectories(stagingDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the staging directory " + stagingDir, e);
    }
  }

  /**
   * A validated transaction.
   *
   * @param record the log record
   * @param staged local Parquet files of large inserts, by the location the record names; they must
   *     be uploaded there before the record is appended
   */
  public record Validated(TransactionRecord record, Map<String, Path> staged) {}

  /**
   * Validates a transaction on a table.
   *
   * @throws TransactionRejectedException when the transaction is refused
   */
  public Validated validate(Table table, String transactionId, List<SqlStatement> statements) {
    if (statements.isEmpty()) {
      throw new TransactionRejectedException(
          "Cannot write to %s: the transaction has no statement", table.name());
    }
    WritableTables.problem(table)
        .ifPresent(
            problem -> {
              throw new TableNotWritableException("Cannot write to %s: %s", table.name(), problem);
            });
    ValidationDatabase database = database(table);
    if (statements.size() == 1) {
      Validated fast = fast(table, database, transactionId, statements.get(0));
      if (fast != null) {
        return fast;
      }
    }
    ValidationDatabase.Lease lease;
    try {
      lease = database.borrow();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open a validation database: " + e.getMessage(), e);
    }
    Map<String, Path> staged = new LinkedHashMap<>();
    try {
      List<RecordStatement> logged = new ArrayList<>();
      Map<String, List<String>> partitions = new LinkedHashMap<>();
      for (int i = 0; i < statements.size(); i++) {
        StatementCheck check =
            new StatementCheck(
                table, database, lease, i + 1, statements.size(), limits, stagingDir);
        logged.add(check.run(statements.get(i), transactionId, staged, partitions));
      }
      return new Validated(checked(table, transactionId, logged, partitions), staged);
    } catch (RuntimeException e) {
      staged.values().forEach(TransactionValidator::deleteQuietly);
      throw e;
    } finally {
      database.giveBack(lease);
    }
  }

  /** The transaction validated by the fast path of its statement, or null. */
  private Validated fast(
      Table table, ValidationDatabase database, String transactionId, SqlStatement statement) {
    java.util.Optional<FastPath> fast =
        database.fastPath(FastPath.key(statement.sql(), statement.parameters()));
    if (fast == null || fast.isEmpty()) {
      return null;
    }
    Map<String, List<String>> partitions = new LinkedHashMap<>();
    RecordStatement logged;
    try {
      logged = fast.get().record(statement.parameters(), partitions, limits);
    } catch (IllegalArgumentException e) {
      throw new TransactionRejectedException(
          "Cannot write to %s: %s", table.name(), e.getMessage());
    }
    if (logged == null) {
      return null;
    }
    return new Validated(checked(table, transactionId, List.of(logged), partitions), Map.of());
  }

  /**
   * The transaction's record, after the check every worker makes of it: a record that passes here
   * is never refused by a worker, and what a worker would refuse is refused here, before it is
   * appended.
   */
  private TransactionRecord checked(
      Table table,
      String transactionId,
      List<RecordStatement> statements,
      Map<String, List<String>> partitions) {
    TransactionRecord record =
        new TransactionRecord(
            transactionId,
            table.uuid().toString(),
            table.spec().specId(),
            table.schema().schemaId(),
            System.currentTimeMillis(),
            statements,
            partitions);
    check
        .problem(record, table)
        .ifPresent(
            problem -> {
              throw new TransactionRejectedException(
                  "Cannot write to %s: %s", table.name(), problem);
            });
    return record;
  }

  private ValidationDatabase database(Table table) {
    String key = table.uuid() + ":" + table.schema().schemaId() + ":" + table.spec().specId();
    return databases.computeIfAbsent(
        key,
        k -> {
          try {
            return new ValidationDatabase(table.schema(), table.spec(), stagingDir);
          } catch (SQLException e) {
            throw new IllegalStateException(
                "Cannot create the validation database of " + table.name() + ": " + e.getMessage(),
                e);
          }
        });
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a staging file left behind is removed with the staging directory
    }
  }

  @Override
  public void close() {
    databases.values().forEach(ValidationDatabase::close);
    databases.clear();
  }
}
