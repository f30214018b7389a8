package io.icecap.txn.record;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A transaction as the log holds it: deterministic DuckDB statements over the partition table
 * {@code rows}, with what the orchestrator worked out about the partitions they touch.
 *
 * @param id the transaction's id, unique per submission (a resent append is recognized by it)
 * @param tableUuid the table the transaction was validated against
 * @param specId the partition spec its routing is under
 * @param schemaId the schema it was validated against
 * @param submittedAtMillis when it was submitted, by the submitter's clock
 * @param statements its statements, in order
 * @param partitions the values of every partition its inserts write, by partition key, each value
 *     in Iceberg's single-value JSON form
 */
public record TransactionRecord(
    String id,
    String tableUuid,
    int specId,
    int schemaId,
    long submittedAtMillis,
    List<RecordStatement> statements,
    Map<String, List<String>> partitions) {
  /**
   * The longest a record may be in its encoded form, in characters: its statements' SQL, templates
   * and parameters together. Submit refuses a longer transaction; a worker aborts a longer record
   * without reading it.
   */
  public static final int MAX_CHARS = 16 << 20;

  /** Checks and copies the values. */
  public TransactionRecord {
    requireNonNull(id, "id is null");
    requireNonNull(tableUuid, "tableUuid is null");
    statements = List.copyOf(statements);
    partitions = Map.copyOf(partitions);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("A transaction needs at least one statement");
    }
  }
}
