package io.icecap.txn.record;

import static java.util.Objects.requireNonNull;

import io.icecap.txn.sql.DmlKind;
import java.util.List;
import java.util.Map;

/**
 * One statement of a logged transaction.
 *
 * <p>An insert's SQL writes into the staging table {@value #INSERT_STAGING}, from which each
 * partition takes its own rows; a large insert's rows are instead in a staged Parquet file. An
 * update's or delete's SQL runs on the table {@code rows} of every partition its routing allows.
 *
 * @param kind INSERT, UPDATE or DELETE
 * @param sql the statement, with parameters inlined and time functions bound; null for a staged
 *     insert
 * @param staged the location of a staged insert's Parquet file, else null
 * @param inserts for an insert, the count of rows it writes to each partition, by partition key
 * @param routing for an update or delete, the values each partition field may have (by partition
 *     field name, values as Iceberg prints them in partition paths); null when the statement may
 *     touch every partition
 * @param template for a statement with positional parameters that is not staged, {@code sql} with
 *     the parameters left as {@code ?}; workers apply a run of records with the same template as
 *     one set-based statement. Null otherwise
 * @param parameters the literals of the template's parameters, in order; null without a template
 */
public record RecordStatement(
    DmlKind kind,
    String sql,
    String staged,
    Map<String, Long> inserts,
    Map<String, List<String>> routing,
    String template,
    List<String> parameters) {
  /** The temporary table an insert's SQL writes into before its rows go to their partitions. */
  public static final String INSERT_STAGING = "icecap_insert";

  /** Checks and copies the values. */
  public RecordStatement {
    requireNonNull(kind, "kind is null");
    if ((sql == null) == (staged == null)) {
      throw new IllegalArgumentException("A statement has either SQL or a staged file");
    }
    if (staged != null && kind != DmlKind.INSERT) {
      throw new IllegalArgumentException("Only inserts are staged");
    }
    inserts = inserts == null ? Map.of() : Map.copyOf(inserts);
    routing = routing == null ? null : Map.copyOf(routing);
    if ((template == null) != (parameters == null)) {
      throw new IllegalArgumentException("A template comes with its parameters");
    }
    parameters = parameters == null ? null : List.copyOf(parameters);
  }

  /** A statement without a template. */
  public RecordStatement(
      DmlKind kind,
      String sql,
      String staged,
      Map<String, Long> inserts,
      Map<String, List<String>> routing) {
    this(kind, sql, staged, inserts, routing, null, null);
  }
}
