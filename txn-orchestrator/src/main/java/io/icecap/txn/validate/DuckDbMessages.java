package io.icecap.txn.validate;

/** DuckDB's error messages, told in terms of the user's table. */
public final class DuckDbMessages {
  private DuckDbMessages() {}

  /**
   * The message without the echo of the rewritten statement, with the partition table's internal
   * names replaced by the table's, and a hint where DuckDB's own words would mislead.
   */
  public static String clean(String message, String table) {
    if (message == null) {
      return "unknown DuckDB error";
    }
    String text = message;
    int line = text.indexOf("\nLINE ");
    if (line < 0) {
      line = text.indexOf("LINE 1:");
    }
    if (line > 0) {
      text = text.substring(0, line);
    }
    text =
        text.replace("\"icecap_insert\"", "\"" + table + "\"")
            .replace("\"rows\"", "\"" + table + "\"")
            .trim();
    if (text.startsWith("Catalog Error: Table with name")) {
      text += " (a write may read only the table it writes, through its own rows)";
    } else if (text.startsWith("Permission Error")) {
      text += " (writes cannot read files or the network)";
    }
    return text;
  }
}
