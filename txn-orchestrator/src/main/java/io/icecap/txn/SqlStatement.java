package io.icecap.txn;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One DML statement of a transaction with its bound parameters ({@code ?} or {@code $n}).
 *
 * @param sql an INSERT, UPDATE or DELETE in DuckDB's SQL
 * @param parameters the values of its parameters, in order; null values allowed
 */
public record SqlStatement(String sql, List<Object> parameters) {
  /** Checks and copies the values. */
  public SqlStatement {
    requireNonNull(sql, "sql is null");
    parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
  }

  /** A statement with the given parameters. */
  public static SqlStatement of(String sql, Object... parameters) {
    return new SqlStatement(sql, Arrays.asList(parameters));
  }
}
