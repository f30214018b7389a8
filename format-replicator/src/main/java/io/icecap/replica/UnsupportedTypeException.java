package io.icecap.replica;

import org.apache.iceberg.types.Type;

/** A column whose Iceberg type cannot be held in DuckDB; the message names the column and type. */
public class UnsupportedTypeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param column the column's dotted path
   * @param type its Iceberg type
   * @param reason why it cannot be replicated, and what to use instead
   */
  public UnsupportedTypeException(String column, Type type, String reason) {
    super(String.format("Cannot replicate column %s of type %s: %s", column, type, reason));
  }

  private UnsupportedTypeException(String message) {
    super(message);
  }

  /** A DuckDB type with no Iceberg counterpart. */
  static UnsupportedTypeException fromDuckDb(String column, String duckdbType, String reason) {
    return new UnsupportedTypeException(
        String.format(
            "Cannot map column %s of DuckDB type %s to Iceberg: %s", column, duckdbType, reason));
  }
}
