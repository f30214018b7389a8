package io.icecap.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query of a run's parameter table: one row per parameter row, columns {@code icecap_p0 …} of
 * the logged literals with their types, and numbered BIGINT columns the run adds (row index,
 * generation, sequence number).
 *
 * <p>DuckDB parses every constant of a statement one by one (a VALUES list of a thousand rows takes
 * tens of milliseconds), so each column whose literals are all of one type goes in as one JSON
 * array of strings, unnested and cast once. Literals of one column cast to integer types of
 * different widths, or to decimals of different precisions or scales (a {@code BigDecimal}
 * parameter is logged with its own precision), are cast to the type that holds them all; any other
 * mix falls back to a VALUES list.
 */
final class ParameterTable {
  private static final Pattern CAST =
      Pattern.compile("(?s)CAST\\((.*) AS ([A-Z][A-Z0-9_(), ]*)\\)");
  private static final Pattern TYPED =
      Pattern.compile("(?s)(DATE|TIME|TIMESTAMP|TIMESTAMPTZ) ('.*')");
  private static final Pattern BLOB = Pattern.compile("(?s)('.*')::BLOB");
  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+), ?(\\d+)\\)");
  private static final List<String> INTEGERS =
      List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT");

  /** DuckDB's widest decimal precision. */
  private static final int MAX_PRECISION = 38;

  private final int width;
  private final List<List<String>> rows = new ArrayList<>();
  private final Map<String, List<Long>> numbers = new LinkedHashMap<>();

  /**
   * @param width the parameters of each row
   * @param numbered the names of the BIGINT columns each row also has
   */
  ParameterTable(int width, List<String> numbered) {
    this.width = width;
    for (String name : numbered) {
      numbers.put(name, new ArrayList<>());
    }
  }

  /** Adds a row: {@code width} literals and one number per numbered column, in their order. */
  ParameterTable add(List<String> literals, long... values) {
    if (literals.size() != width || values.length != numbers.size()) {
      throw new IllegalArgumentException(
          "A parameter row has "
              + literals.size()
              + " literals and "
              + values.length
              + " numbers where "
              + width
              + " and "
              + numbers.size()
              + " are expected");
    }
    rows.add(literals);
    int i = 0;
    for (List<Long> column : numbers.values()) {
      column.add(values[i++]);
    }
    return this;
  }

  int size() {
    return rows.size();
  }

  /** The query: each column {@code icecap_p<i>} of literal {@code i}, and the numbered columns. */
  String query() {
    String[] types = new String[width];
    List<List<String>> columns = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      List<String> column = new ArrayList<>(rows.size());
      for (List<String> row : rows) {
        String[] split = split(row.get(c));
        if (split == null) {
          return valuesQuery();
        }
        if (split[1] != null) {
          String common = types[c] == null ? split[1] : common(types[c], split[1]);
          if (common == null) {
            return valuesQuery();
          }
          types[c] = common;
        }
        column.add(split[0]);
      }
      columns.add(column);
    }
    List<String> select = new ArrayList<>();
    numbers.forEach(
        (name, values) ->
            select.add(
                "unnest("
                    + jsonList(values.stream().map(String::valueOf).toList(), "BIGINT")
                    + ") AS "
                    + name));
    for (int c = 0; c < width; c++) {
      String type = types[c] == null ? "VARCHAR" : types[c];
      select.add(
          "CAST(unnest("
              + jsonList(columns.get(c), "VARCHAR")
              + ") AS "
              + type
              + ") AS "
              + name(c));
    }
    return "SELECT " + String.join(", ", select);
  }

  /**
   * The type that holds every value of types {@code a} and {@code b} exactly: the wider of two
   * integer types, or the decimal with the larger integer part and the larger scale; null when
   * there is none.
   */
  static String common(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    if (INTEGERS.contains(a) && INTEGERS.contains(b)) {
      return INTEGERS.get(Math.max(INTEGERS.indexOf(a), INTEGERS.indexOf(b)));
    }
    Matcher x = DECIMAL.matcher(a);
    Matcher y = DECIMAL.matcher(b);
    if (!x.matches() || !y.matches()) {
      return null;
    }
    int scale = Math.max(Integer.parseInt(x.group(2)), Integer.parseInt(y.group(2)));
    int integer =
        Math.max(
            Integer.parseInt(x.group(1)) - Integer.parseInt(x.group(2)),
            Integer.parseInt(y.group(1)) - Integer.parseInt(y.group(2)));
    return integer + scale > MAX_PRECISION
        ? null
        : "DECIMAL(" + (integer + scale) + ", " + scale + ")";
  }

  /** The name of parameter column {@code index}. */
  static String name(int index) {
    return "icecap_p" + index;
  }

  private String valuesQuery() {
    List<String> names = new ArrayList<>(numbers.keySet());
    for (int c = 0; c < width; c++) {
      names.add(name(c));
    }
    StringBuilder values = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      values.append(r == 0 ? "(" : ", (");
      List<String> row = new ArrayList<>();
      for (List<Long> column : numbers.values()) {
        row.add(column.get(r).toString());
      }
      row.addAll(rows.get(r));
      values.append(String.join(", ", row)).append(')');
    }
    return "SELECT * FROM (VALUES " + values + ") v(" + String.join(", ", names) + ")";
  }

  /** A DuckDB list of the given bare values (SQL literals without their type), via JSON. */
  private static String jsonList(List<String> bare, String type) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < bare.size(); i++) {
      String value = bare.get(i);
      json.append(i == 0 ? "" : ",");
      if (value.equals("NULL")) {
        json.append("null");
      } else {
        String text =
            value.startsWith("'")
                ? value.substring(1, value.length() - 1).replace("''", "'")
                : value;
        appendJsonString(json, text);
      }
    }
    json.append("]");
    return "from_json('" + json.toString().replace("'", "''") + "', '[\"" + type + "\"]')";
  }

  /** Appends {@code text} as a JSON string. */
  private static void appendJsonString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }

  /** A literal as its bare value and the type it is cast to (null for NULL), or null. */
  private static String[] split(String literal) {
    if (literal.equals("NULL")) {
      return new String[] {"NULL", null};
    }
    if (literal.equals("true") || literal.equals("false")) {
      return new String[] {literal, "BOOLEAN"};
    }
    if (literal.startsWith("'") && literal.endsWith("'") && literal.length() >= 2) {
      return new String[] {literal, null};
    }
    if (literal.startsWith("CAST(") && literal.endsWith(")")) {
      // the common case without the regular expression: the type after the last " AS "
      int as = literal.lastIndexOf(" AS ");
      if (as > 5 && isType(literal, as + 4, literal.length() - 1)) {
        return new String[] {
          literal.substring(5, as), literal.substring(as + 4, literal.length() - 1)
        };
      }
    }
    Matcher cast = CAST.matcher(literal);
    if (cast.matches()) {
      return new String[] {cast.group(1), cast.group(2)};
    }
    Matcher typed = TYPED.matcher(literal);
    if (typed.matches()) {
      return new String[] {typed.group(2), typed.group(1)};
    }
    Matcher blob = BLOB.matcher(literal);
    if (blob.matches()) {
      return new String[] {blob.group(1), "BLOB"};
    }
    return null;
  }

  /** Whether {@code text[from, to)} is a type name as {@link #CAST} accepts it. */
  private static boolean isType(String text, int from, int to) {
    if (from >= to || text.charAt(from) < 'A' || text.charAt(from) > 'Z') {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      char c = text.charAt(i);
      boolean allowed =
          (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '('
              || c == ')'
              || c == ','
              || c == ' ';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
