package io.icecap.worker.maintenance;

/**
 * A table property that maintenance reads has a value it cannot use: not a number, not a boolean,
 * zero or negative where a positive value is needed. Nothing was changed or deleted.
 */
public final class TablePropertyException extends IllegalArgumentException {
  private final String property;

  TablePropertyException(String table, String property, String value, String expected) {
    super(
        String.format(
            "Table property %s of %s is '%s', which is not %s; set it with ALTER TABLE %s SET"
                + " TBLPROPERTIES ('%s' = '…') or remove it with UNSET TBLPROPERTIES ('%s')",
            property, table, value, expected, table, property, property));
    this.property = property;
  }

  /** The property whose value is refused. */
  public String property() {
    return property;
  }
}
