package io.icecap.worker;

import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.Parameter;
import io.icecap.txn.sql.PartitionPredicates;
import io.icecap.txn.sql.SimplePredicate;
import io.icecap.txn.sql.Span;
import io.icecap.txn.sql.SqlRewriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run of updates with the same template applied as one set-based statement: the run's parameters
 * become a small table, joined to the partition's rows on the template's WHERE.
 *
 * <p>Only templates whose WHERE clause is a conjunction of {@code column = ?} and whose SET changes
 * none of those columns qualify. For such a template, records with distinct key values touch
 * disjoint rows, so applying them at once gives exactly what applying them one after the other
 * gives. A run with two records on the same key is split before it is formed, and DuckDB checks the
 * keys again by value before the statement runs; a duplicate found there sends the run back to
 * record-at-a-time.
 */
final class UpdateBatch {
  private static final String TABLE = "icecap_batch";
  private static final String ALIAS = "icecap_b";
  private static final Pattern ONLY_AND = Pattern.compile("(?i)[\\s()]*(AND[\\s()]*)*");
  private static final Map<String, Shape> SHAPES = new ConcurrentHashMap<>();
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Shape NONE = new Shape(List.of(), 0, "", "");

  /** Thrown when two records of a run have the same key after all. */
  static final class DuplicateKeys extends Exception {
    private static final long serialVersionUID = 1L;

    DuplicateKeys() {
      super("two records of a run update the same key", null, false, false);
    }
  }

  /**
   * How a template is applied as a run.
   *
   * @param keys the indexes of the parameters compared with key columns
   * @param parameters how many parameters the template has
   * @param update the set-based UPDATE
   * @param count the query counting each record's matched rows
   */
  record Shape(List<Integer> keys, int parameters, String update, String count) {}

  private UpdateBatch() {}

  /** The shape of a template, or null when its records must be applied one at a time. */
  static Shape shapeOf(String template) {
    Shape shape = SHAPES.computeIfAbsent(template, UpdateBatch::analyse);
    return shape == NONE ? null : shape;
  }

  private static Shape analyse(String template) {
    DmlStatement statement;
    try {
      statement = DmlParser.parse(template);
    } catch (RuntimeException e) {
      return NONE;
    }
    if (statement.kind() != DmlKind.UPDATE
        || statement.where().isEmpty()
        || statement.parameters().stream().anyMatch(p -> p.number().isPresent())) {
      return NONE;
    }
    Span where = statement.where().get();
    List<SimplePredicate> conjuncts = PartitionPredicates.conjuncts(statement);
    StringBuilder rest = new StringBuilder(statement.text(where));
    Set<String> keyColumns = new HashSet<>();
    List<Integer> keys = new ArrayList<>();
    for (SimplePredicate conjunct : conjuncts) {
      if (conjunct.operator() != SimplePredicate.Operator.EQUAL
          || conjunct.operands().size() != 1
          || conjunct.operands().get(0).parameterIndex().isEmpty()
          || !conjunct.operands().get(0).text().equals("?")) {
        return NONE;
      }
      keyColumns.add(conjunct.column().toLowerCase(Locale.ROOT));
      keys.add(conjunct.operands().get(0).parameterIndex().getAsInt());
      for (int i = conjunct.span().start(); i < conjunct.span().end(); i++) {
        rest.setCharAt(i - where.start(), ' ');
      }
    }
    if (keys.isEmpty() || !ONLY_AND.matcher(rest).matches()) {
      return NONE;
    }
    for (String column : statement.setColumns()) {
      if (keyColumns.contains(column.toLowerCase(Locale.ROOT))) {
        return NONE;
      }
    }
    List<SqlRewriter.Replacement> replacements = new ArrayList<>();
    List<SqlRewriter.Replacement> whereReplacements = new ArrayList<>();
    List<Parameter> parameters = statement.parameters();
    for (int i = 0; i < parameters.size(); i++) {
      Span span = parameters.get(i).span();
      replacements.add(new SqlRewriter.Replacement(span, column(i)));
      if (where.contains(span)) {
        whereReplacements.add(
            new SqlRewriter.Replacement(
                new Span(span.start() - where.start(), span.end() - where.start()), column(i)));
      }
    }
    int keyword = template.toUpperCase(Locale.ROOT).lastIndexOf("WHERE", where.start());
    replacements.add(
        new SqlRewriter.Replacement(
            new Span(keyword, keyword), "FROM " + TABLE + " AS " + ALIAS + " "));
    String update = SqlRewriter.rewrite(template, replacements).strip();
    while (update.endsWith(";")) {
      update = update.substring(0, update.length() - 1).strip();
    }
    String alias = statement.alias().orElse(statement.target().lastPart());
    String count =
        "SELECT "
            + ALIAS
            + ".icecap_idx, count(*) FROM rows AS "
            + SqlRewriter.quoteIdentifier(alias)
            + ", "
            + TABLE
            + " AS "
            + ALIAS
            + " WHERE "
            + SqlRewriter.rewrite(statement.text(where), whereReplacements)
            + " GROUP BY ALL";
    return new Shape(List.copyOf(keys), parameters.size(), update, count);
  }

  private static String column(int parameter) {
    return ALIAS + ".icecap_p" + parameter;
  }

  /**
   * Runs a run's records on one partition.
   *
   * @param parameters each record's parameter literals, in the run's order
   * @return each record's matched row count, by position in the run
   * @throws DuplicateKeys when two records have the same key values
   */
  static long[] run(
      Statement sql, Shape shape, List<List<String>> parameters, List<Integer> generations)
      throws SQLException, DuplicateKeys {
    int lastGeneration = 0;
    for (int generation : generations) {
      lastGeneration = Math.max(lastGeneration, generation);
    }
    sql.execute(
        "CREATE OR REPLACE TEMP TABLE "
            + TABLE
            + " AS "
            + parameterTable(shape, parameters, generations));
    StringBuilder keys = new StringBuilder("icecap_gen");
    for (int key : shape.keys()) {
      keys.append(", icecap_p").append(key);
    }
    try (ResultSet duplicates =
        sql.executeQuery("SELECT count(*) - count(DISTINCT (" + keys + ")) FROM " + TABLE)) {
      duplicates.next();
      if (duplicates.getLong(1) != 0) {
        throw new DuplicateKeys();
      }
    }
    long[] counts = new long[parameters.size()];
    try (ResultSet matched = sql.executeQuery(shape.count())) {
      while (matched.next()) {
        counts[matched.getInt(1)] = matched.getLong(2);
      }
    }
    for (int generation = 0; generation <= lastGeneration; generation++) {
      sql.executeLargeUpdate(shape.update() + " AND " + ALIAS + ".icecap_gen = " + generation);
    }
    return counts;
  }

  private static final Pattern CAST =
      Pattern.compile("(?s)CAST\\((.*) AS ([A-Z][A-Z0-9_(), ]*)\\)");
  private static final Pattern TYPED =
      Pattern.compile("(?s)(DATE|TIME|TIMESTAMP|TIMESTAMPTZ) ('.*')");
  private static final Pattern BLOB = Pattern.compile("(?s)('.*')::BLOB");

  /**
   * The query of the run's parameter table. DuckDB parses every constant of a statement one by one
   * (a VALUES list of a thousand rows takes tens of milliseconds), so each column whose literals
   * are all of one type goes in as one JSON array of strings, unnested and cast once; a column of
   * mixed literals falls back to a VALUES list.
   */
  static String parameterTable(
      Shape shape, List<List<String>> parameters, List<Integer> generations) {
    int width = shape.parameters();
    String[] types = new String[width];
    List<List<String>> columns = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      List<String> column = new ArrayList<>(parameters.size());
      for (List<String> row : parameters) {
        String[] split = split(row.get(c));
        if (split == null || (split[1] != null && types[c] != null && !types[c].equals(split[1]))) {
          return valuesTable(shape, parameters, generations);
        }
        if (split[1] != null) {
          types[c] = split[1];
        }
        column.add(split[0]);
      }
      columns.add(column);
    }
    StringBuilder select =
        new StringBuilder("SELECT unnest(range(" + parameters.size() + ")) AS icecap_idx, ")
            .append("unnest(")
            .append(jsonList(generations.stream().map(String::valueOf).toList(), "INTEGER"))
            .append(") AS icecap_gen");
    for (int c = 0; c < width; c++) {
      String type = types[c] == null ? "VARCHAR" : types[c];
      select
          .append(", CAST(unnest(")
          .append(jsonList(columns.get(c), "VARCHAR"))
          .append(") AS ")
          .append(type)
          .append(") AS icecap_p")
          .append(c);
    }
    return select.toString();
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
        try {
          json.append(JSON.writeValueAsString(text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException("Cannot encode a parameter as JSON", e);
        }
      }
    }
    json.append("]");
    return "from_json('" + json.toString().replace("'", "''") + "', '[\"" + type + "\"]')";
  }

  private static String valuesTable(
      Shape shape, List<List<String>> parameters, List<Integer> generations) {
    StringBuilder columns = new StringBuilder("icecap_idx, icecap_gen");
    for (int c = 0; c < shape.parameters(); c++) {
      columns.append(", icecap_p").append(c);
    }
    StringBuilder values = new StringBuilder();
    for (int r = 0; r < parameters.size(); r++) {
      values.append(r == 0 ? "(" : ", (").append(r).append(", ").append(generations.get(r));
      for (String literal : parameters.get(r)) {
        values.append(", ").append(literal);
      }
      values.append(')');
    }
    return "SELECT * FROM (VALUES " + values + ") v(" + columns + ")";
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

  /** A record's key as its parameter literals, for splitting runs before they are formed. */
  static List<String> key(Shape shape, List<String> parameters) {
    List<String> key = new ArrayList<>(shape.keys().size());
    for (int index : shape.keys()) {
      key.add(parameters.get(index));
    }
    return key;
  }
}
