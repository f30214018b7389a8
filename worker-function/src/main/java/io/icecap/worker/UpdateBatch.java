package io.icecap.worker;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.Parameter;
import io.icecap.txn.sql.PartitionPredicates;
import io.icecap.txn.sql.SimplePredicate;
import io.icecap.txn.sql.Span;
import io.icecap.txn.sql.SqlRewriter;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A run of updates with the same template applied as one set-based statement: the run's parameters
 * become a small table, joined to the partition's rows on the template's WHERE.
 *
 * <p>Only templates whose WHERE clause is a conjunction of {@code column = ?} and whose SET changes
 * none of those columns qualify. For such a template, records with distinct key values touch
 * disjoint rows, so applying them at once gives exactly what applying them one after the other
 * gives. The n-th record of a run on one key is in generation n, and generations run one after the
 * other. DuckDB checks the keys again by value before the statement runs (two literals may differ
 * as text and be equal as values); a duplicate found there sends the run back to record-at-a-time.
 *
 * <p>Runs keyed by integers ({@link #runKeyed}) go further: integer literals are equal as values
 * exactly when they are equal as numbers, so the generations are found without DuckDB, records of
 * several templates on the same key columns share them: in one generation every record has its own
 * key, so the templates' updates of one generation may run in any order.
 */
final class UpdateBatch {
  static final String TABLE = "icecap_batch";

  /** Stands for the name of the parameter table in a shape's statements. */
  private static final String TABLE_MARK = "\0batch";

  private static final String ALIAS = "icecap_b";
  private static final Pattern ONLY_AND = Pattern.compile("(?i)[\\s()]*(AND[\\s()]*)*");
  private static final Map<String, Shape> SHAPES = new ConcurrentHashMap<>();
  private static final Shape NONE = new Shape(List.of(), List.of(), 0, "", "", "", "");

  /**
   * The types of integer literals as {@code ParameterLiterals} writes them: {@code CAST(n AS T)}.
   */
  private static final Set<String> INTEGER_TYPES =
      Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT");

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
   * @param keys the indexes of the parameters compared with key columns, by column name
   * @param keyColumns the key columns, lower case, in the order of {@code keys}
   * @param parameters how many parameters the template has
   * @param update the set-based UPDATE of the partition's rows
   * @param count the query counting each record's matched rows
   * @param pendingUpdate the same UPDATE of the rows inserted earlier in the run, each changed only
   *     by records after its insert
   * @param pendingCount the query counting each record's matched rows among those
   */
  record Shape(
      List<Integer> keys,
      List<String> keyColumns,
      int parameters,
      String update,
      String count,
      String pendingUpdate,
      String pendingCount) {
    /** The update, on the parameter table {@code table}. */
    String update(String table) {
      return update.replace(TABLE_MARK, table);
    }

    String count(String table) {
      return count.replace(TABLE_MARK, table);
    }

    String pendingUpdate(String table) {
      return pendingUpdate.replace(TABLE_MARK, table);
    }

    String pendingCount(String table) {
      return pendingCount.replace(TABLE_MARK, table);
    }
  }

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
        || template.indexOf('\0') >= 0
        || statement.where().isEmpty()
        || statement.parameters().stream().anyMatch(p -> p.number().isPresent())) {
      return NONE;
    }
    Span where = statement.where().get();
    List<SimplePredicate> conjuncts = PartitionPredicates.conjuncts(statement);
    StringBuilder rest = new StringBuilder(statement.text(where));
    Set<String> keyColumns = new HashSet<>();
    Map<Integer, String> keys = new HashMap<>();
    for (SimplePredicate conjunct : conjuncts) {
      if (conjunct.operator() != SimplePredicate.Operator.EQUAL
          || conjunct.operands().size() != 1
          || conjunct.operands().get(0).parameterIndex().isEmpty()
          || !conjunct.operands().get(0).text().equals("?")) {
        return NONE;
      }
      keyColumns.add(conjunct.column().toLowerCase(Locale.ROOT));
      keys.put(
          conjunct.operands().get(0).parameterIndex().getAsInt(),
          conjunct.column().toLowerCase(Locale.ROOT));
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
            new Span(keyword, keyword), "FROM " + TABLE_MARK + " AS " + ALIAS + " "));
    String update = strip(SqlRewriter.rewrite(template, replacements));
    String alias =
        SqlRewriter.quoteIdentifier(statement.alias().orElse(statement.target().lastPart()));
    // the same statement on the run's pending inserts: the target renamed, the alias kept
    replacements.add(
        new SqlRewriter.Replacement(
            statement.target().span(),
            statement.alias().isPresent()
                ? PendingRows.TABLE
                : PendingRows.TABLE + " AS " + alias));
    String pendingUpdate =
        strip(SqlRewriter.rewrite(template, replacements))
            + " AND "
            + alias
            + "."
            + PendingRows.SEQUENCE
            + " < "
            + ALIAS
            + "."
            + PendingRows.SEQUENCE;
    String matches = SqlRewriter.rewrite(statement.text(where), whereReplacements);
    // keys in column order, so that templates on the same columns have comparable keys
    List<Integer> sortedKeys = new ArrayList<>(keys.keySet());
    sortedKeys.sort(
        Comparator.comparing((Integer key) -> keys.get(key))
            .thenComparing(Comparator.naturalOrder()));
    List<String> sortedColumns = sortedKeys.stream().map(keys::get).toList();
    return new Shape(
        List.copyOf(sortedKeys),
        sortedColumns,
        parameters.size(),
        update,
        count(DuckDbReplica.ROWS, alias, matches),
        pendingUpdate,
        count(
            PendingRows.TABLE,
            alias,
            "("
                + matches
                + ") AND "
                + alias
                + "."
                + PendingRows.SEQUENCE
                + " < "
                + ALIAS
                + "."
                + PendingRows.SEQUENCE));
  }

  private static String count(String table, String alias, String where) {
    return "SELECT "
        + ALIAS
        + ".icecap_idx, count(*) FROM "
        + table
        + " AS "
        + alias
        + ", "
        + TABLE_MARK
        + " AS "
        + ALIAS
        + " WHERE "
        + where
        + " GROUP BY ALL";
  }

  private static String strip(String sql) {
    String stripped = sql.strip();
    while (stripped.endsWith(";")) {
      stripped = stripped.substring(0, stripped.length() - 1).strip();
    }
    return stripped;
  }

  private static String column(int parameter) {
    return ALIAS + "." + ParameterTable.name(parameter);
  }

  /**
   * Runs a run's updates on one partition: on its rows, and, when the run inserted rows there
   * before, on the {@link PendingRows pending} ones each update follows.
   *
   * @param parameters each update's parameter literals, in log order
   * @param sequences each update's sequence number
   * @param pending whether the partition's pending table may hold rows
   * @return each update's matched row count, by position
   * @throws DuplicateKeys when two updates of one generation have the same key values
   */
  static long[] run(
      Statement sql,
      Shape shape,
      List<List<String>> parameters,
      List<Long> sequences,
      boolean pending)
      throws SQLException, DuplicateKeys {
    // the n-th update of a key is in generation n: generations run in order
    ParameterTable table = parameterTable(shape);
    Map<List<String>, Integer> seen = new HashMap<>();
    int lastGeneration = 0;
    for (int i = 0; i < parameters.size(); i++) {
      int generation = seen.merge(key(shape, parameters.get(i)), 1, Integer::sum) - 1;
      lastGeneration = Math.max(lastGeneration, generation);
      table.add(parameters.get(i), i, generation, sequences.get(i));
    }
    sql.execute("CREATE OR REPLACE TEMP TABLE " + TABLE + " AS " + table.query());
    StringBuilder keys = new StringBuilder("icecap_gen");
    for (int key : shape.keys()) {
      keys.append(", ").append(ParameterTable.name(key));
    }
    try (ResultSet duplicates =
        sql.executeQuery("SELECT count(*) - count(DISTINCT (" + keys + ")) FROM " + TABLE)) {
      duplicates.next();
      if (duplicates.getLong(1) != 0) {
        throw new DuplicateKeys();
      }
    }
    long[] counts = new long[parameters.size()];
    count(sql, shape.count(TABLE), counts);
    if (pending) {
      count(sql, shape.pendingCount(TABLE), counts);
    }
    for (int generation = 0; generation <= lastGeneration; generation++) {
      String inGeneration = " AND " + ALIAS + ".icecap_gen = " + generation;
      sql.executeLargeUpdate(shape.update(TABLE) + inGeneration);
      if (pending) {
        sql.executeLargeUpdate(shape.pendingUpdate(TABLE) + inGeneration);
      }
    }
    return counts;
  }

  /**
   * Runs a run's updates keyed by integers on one partition, as {@link #run} does: the updates may
   * be of several templates whose key columns are the same, and every key value is an integer
   * literal compared with an integer column (see {@link #integerKey}).
   *
   * @param shapes each update's shape, in log order
   * @param parameters each update's parameter literals
   * @param sequences each update's sequence number
   * @param pending whether the partition's pending table may hold rows
   * @return each update's matched row count, by position
   */
  static long[] runKeyed(
      Statement sql,
      List<Shape> shapes,
      List<List<String>> parameters,
      List<Long> sequences,
      boolean pending)
      throws SQLException {
    Map<Shape, ParameterTable> tables = new LinkedHashMap<>();
    // the generations each template has records in
    Map<Shape, Set<Integer>> generations = new HashMap<>();
    Map<List<BigInteger>, Integer> seen = new HashMap<>();
    int lastGeneration = 0;
    for (int i = 0; i < parameters.size(); i++) {
      Shape shape = shapes.get(i);
      List<BigInteger> key = integerKey(shape, parameters.get(i));
      if (key == null) {
        throw new IllegalArgumentException(
            "Update " + sequences.get(i) + " is not keyed by integer literals");
      }
      int generation = seen.merge(key, 1, Integer::sum) - 1;
      lastGeneration = Math.max(lastGeneration, generation);
      tables
          .computeIfAbsent(shape, UpdateBatch::parameterTable)
          .add(parameters.get(i), i, generation, sequences.get(i));
      generations.computeIfAbsent(shape, s -> new HashSet<>()).add(generation);
    }
    long[] counts = new long[parameters.size()];
    List<Shape> templates = new ArrayList<>(tables.keySet());
    List<String> keys = new ArrayList<>();
    for (int t = 0; t < templates.size(); t++) {
      Shape shape = templates.get(t);
      sql.execute("CREATE OR REPLACE TEMP TABLE " + TABLE + t + " AS " + tables.get(shape).query());
      StringBuilder select = new StringBuilder("SELECT icecap_idx, " + PendingRows.SEQUENCE);
      for (int k = 0; k < shape.keys().size(); k++) {
        select.append(", ").append(ParameterTable.name(shape.keys().get(k)));
        select.append(" AS icecap_k").append(k);
      }
      keys.add(select.append(" FROM ").append(TABLE).append(t).toString());
    }
    // every template's keys at once: one scan of the rows counts each record's matches
    StringBuilder matches = new StringBuilder();
    List<String> columns = templates.get(0).keyColumns();
    for (int k = 0; k < columns.size(); k++) {
      matches
          .append(k == 0 ? "" : " AND ")
          .append("icecap_t.")
          .append(SqlRewriter.quoteIdentifier(columns.get(k)))
          .append(" = icecap_u.icecap_k")
          .append(k);
    }
    String keyTable = "(" + String.join(" UNION ALL ", keys) + ") AS icecap_u";
    count(
        sql,
        "SELECT icecap_u.icecap_idx, count(*) FROM "
            + DuckDbReplica.ROWS
            + " AS icecap_t, "
            + keyTable
            + " WHERE "
            + matches
            + " GROUP BY ALL",
        counts);
    if (pending) {
      count(
          sql,
          "SELECT icecap_u.icecap_idx, count(*) FROM "
              + PendingRows.TABLE
              + " AS icecap_t, "
              + keyTable
              + " WHERE "
              + matches
              + " AND icecap_t."
              + PendingRows.SEQUENCE
              + " < icecap_u."
              + PendingRows.SEQUENCE
              + " GROUP BY ALL",
          counts);
    }
    for (int generation = 0; generation <= lastGeneration; generation++) {
      String inGeneration = " AND " + ALIAS + ".icecap_gen = " + generation;
      for (int t = 0; t < templates.size(); t++) {
        Shape shape = templates.get(t);
        if (!generations.get(shape).contains(generation)) {
          continue;
        }
        sql.executeLargeUpdate(shape.update(TABLE + t) + inGeneration);
        if (pending) {
          sql.executeLargeUpdate(shape.pendingUpdate(TABLE + t) + inGeneration);
        }
      }
    }
    return counts;
  }

  private static ParameterTable parameterTable(Shape shape) {
    return new ParameterTable(
        shape.parameters(), List.of("icecap_idx", "icecap_gen", PendingRows.SEQUENCE));
  }

  private static void count(Statement sql, String query, long[] counts) throws SQLException {
    try (ResultSet matched = sql.executeQuery(query)) {
      while (matched.next()) {
        counts[matched.getInt(1)] += matched.getLong(2);
      }
    }
  }

  /** A record's key as its parameter literals, for splitting runs before they are formed. */
  static List<String> key(Shape shape, List<String> parameters) {
    List<String> key = new ArrayList<>(shape.keys().size());
    for (int index : shape.keys()) {
      key.add(parameters.get(index));
    }
    return key;
  }

  /**
   * A record's key as integers, in the order of the shape's key columns, or null when a key value
   * is not an integer literal. Two records whose integer keys differ touch different rows of
   * integer key columns.
   */
  static List<BigInteger> integerKey(Shape shape, List<String> parameters) {
    List<BigInteger> key = new ArrayList<>(shape.keys().size());
    for (int index : shape.keys()) {
      BigInteger value = integer(parameters.get(index));
      if (value == null) {
        return null;
      }
      key.add(value);
    }
    return key;
  }

  /**
   * The value of an integer literal as logged, {@code CAST(n AS BIGINT)} (or another integer type)
   * or {@code CAST('n' AS HUGEINT)}; null for any other literal.
   */
  static BigInteger integer(String literal) {
    if (!literal.startsWith("CAST(") || !literal.endsWith(")")) {
      return null;
    }
    int as = literal.indexOf(" AS ");
    if (as < 0) {
      return null;
    }
    String type = literal.substring(as + 4, literal.length() - 1);
    int from = 5;
    int to = as;
    if (type.equals("HUGEINT")) {
      if (to - from < 3 || literal.charAt(from) != '\'' || literal.charAt(to - 1) != '\'') {
        return null;
      }
      from++;
      to--;
    } else if (!INTEGER_TYPES.contains(type)) {
      return null;
    }
    int digits = literal.charAt(from) == '-' ? from + 1 : from;
    if (digits >= to) {
      return null;
    }
    for (int i = digits; i < to; i++) {
      if (literal.charAt(i) < '0' || literal.charAt(i) > '9') {
        return null;
      }
    }
    String number = literal.substring(from, to);
    return to - from <= 18 ? BigInteger.valueOf(Long.parseLong(number)) : new BigInteger(number);
  }
}
