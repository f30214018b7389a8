package io.icecap.txn.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.record.TransactionRecord;
import io.icecap.txn.record.TypedLiteral;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.FunctionCall;
import io.icecap.txn.sql.SqlRewriter;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.UnsupportedStatementException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;

/**
 * The rules every logged transaction keeps, checked where a record is made (submit) and again where
 * it is used (every worker), because anything that can write the table's log in Redis can write a
 * record: each statement is one INSERT into the insert staging table or one UPDATE or DELETE of
 * {@code rows}, with no second statement, subquery, {@code RETURNING}, conflict clause, other
 * relation, table function (but {@code range}, {@code generate_series} and {@code unnest}) or
 * settings function; a template's parameters are typed constants and the statement's SQL is the
 * template with them in place; a staged insert names a file under the table's own staging location;
 * the partitions an insert writes are partitions of the table's spec, named by their own key; no
 * update sets a partition source column.
 *
 * <p>Submit runs the same check on the record it is about to append, so a record that passed submit
 * passes every worker.
 */
public final class RecordCheck {
  private static final Set<String> TABLE_FUNCTIONS = Set.of("range", "generate_series", "unnest");
  private static final Set<String> ROW_FUNCTION_KINDS =
      Set.of("scalar", "aggregate", "macro", "window");
  private static final Set<String> REFUSED_FUNCTIONS =
      Set.of("current_setting", "getvariable", "getenv");
  private static final Pattern STAGED_NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.parquet");
  private static final int TEMPLATES = 1024;

  /**
   * A checked template.
   *
   * @param statement its structure
   * @param problem what is wrong with it, or null
   */
  private record Template(DmlStatement statement, String problem) {}

  private final Map<String, Template> templates =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
              return size() > TEMPLATES;
            }
          });

  /** What is wrong with a record of a table, or empty when it may be applied. */
  public Optional<String> problem(TransactionRecord record, Table table) {
    List<RecordStatement> statements = record.statements();
    for (int i = 0; i < statements.size(); i++) {
      String problem = problem(statements.get(i), record, table);
      if (problem != null) {
        return Optional.of(
            statements.size() == 1
                ? problem
                : "statement " + (i + 1) + " of " + statements.size() + ": " + problem);
      }
    }
    return Optional.empty();
  }

  private String problem(RecordStatement statement, TransactionRecord record, Table table) {
    if (statement.staged() != null) {
      String prefix = table.location() + "/icecap/staged/";
      String staged = statement.staged();
      if (!staged.startsWith(prefix)
          || !STAGED_NAME.matcher(staged.substring(prefix.length())).matches()) {
        return "the staged insert file "
            + shorten(staged)
            + " is not under the table's staging location "
            + prefix;
      }
    } else {
      String problem =
          statement.template() == null
              ? sqlProblem(statement, table)
              : templateProblem(statement, table);
      if (problem != null) {
        return problem;
      }
    }
    return statement.kind() == DmlKind.INSERT ? partitionProblem(statement, record, table) : null;
  }

  private String sqlProblem(RecordStatement statement, Table table) {
    DmlStatement parsed;
    try {
      parsed = DmlParser.parse(statement.sql());
    } catch (SqlSyntaxException | UnsupportedStatementException e) {
      return e.getMessage();
    }
    if (!parsed.parameters().isEmpty()) {
      return "the statement has a parameter placeholder; a logged statement carries its values";
    }
    return statementProblem(parsed, statement.kind(), table);
  }

  private String templateProblem(RecordStatement statement, Table table) {
    Template template =
        templates.computeIfAbsent(
            table.uuid()
                + "\0"
                + table.spec().specId()
                + "\0"
                + statement.kind()
                + "\0"
                + statement.template(),
            key -> checkTemplate(statement, table));
    if (template.problem() != null) {
      return template.problem();
    }
    List<String> parameters = statement.parameters();
    DmlStatement parsed = template.statement();
    if (parameters.size() != parsed.parameters().size()) {
      return String.format(
          "the template has %d parameters but the record carries %d",
          parsed.parameters().size(), parameters.size());
    }
    List<SqlRewriter.Replacement> replacements = new ArrayList<>(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      try {
        TypedLiteral.parse(parameters.get(i));
      } catch (IllegalArgumentException e) {
        return "parameter " + (i + 1) + ": " + e.getMessage();
      }
      replacements.add(
          new SqlRewriter.Replacement(parsed.parameters().get(i).span(), parameters.get(i)));
    }
    if (!SqlRewriter.rewrite(statement.template(), replacements).equals(statement.sql())) {
      return "the statement's SQL is not its template with its parameters in place";
    }
    return null;
  }

  private Template checkTemplate(RecordStatement statement, Table table) {
    DmlStatement parsed;
    try {
      parsed = DmlParser.parse(statement.template());
    } catch (SqlSyntaxException | UnsupportedStatementException e) {
      return new Template(null, "the template: " + e.getMessage());
    }
    if (parsed.parameters().isEmpty()
        || parsed.parameters().stream().anyMatch(p -> p.number().isPresent())) {
      return new Template(null, "a template has positional parameters ('?') only");
    }
    return new Template(parsed, statementProblem(parsed, statement.kind(), table));
  }

  /** What is wrong with one statement's structure, or null. */
  private static String statementProblem(DmlStatement parsed, DmlKind kind, Table table) {
    if (parsed.kind() != kind) {
      return "the record says " + kind + " but its SQL is an " + parsed.kind();
    }
    String target = kind == DmlKind.INSERT ? RecordStatement.INSERT_STAGING : DuckDbReplica.ROWS;
    if (parsed.target().parts().size() != 1
        || !parsed.target().lastPart().equalsIgnoreCase(target)) {
      return String.format(
          "the %s writes %s; a logged %s writes %s",
          kind, String.join(".", parsed.target().parts()), kind, target);
    }
    if (parsed.hasReturning()
        || parsed.onConflict()
        || parsed.updateFrom()
        || parsed.deleteUsing()
        || parsed.hasSubquery()) {
      return "RETURNING, ON CONFLICT, UPDATE ... FROM, DELETE ... USING and subqueries are not"
          + " allowed in a logged statement";
    }
    for (FunctionCall call : parsed.functionCalls()) {
      String problem = functionProblem(call);
      if (problem != null) {
        return problem;
      }
    }
    if (kind == DmlKind.UPDATE) {
      PartitionSpec spec = table.spec();
      for (String column : parsed.setColumns()) {
        for (int i = 0; i < spec.fields().size(); i++) {
          String source = spec.schema().findColumnName(spec.fields().get(i).sourceId());
          if (column.equalsIgnoreCase(source)) {
            return "the UPDATE sets column " + column + ", which partitions the table";
          }
        }
      }
    }
    if (parsed.sourceQuery().isPresent()) {
      return sourceProblem(parsed.text(parsed.sourceQuery().get()));
    }
    return null;
  }

  private static String functionProblem(FunctionCall call) {
    String name = call.simpleName().toLowerCase(Locale.ROOT);
    if (REFUSED_FUNCTIONS.contains(name)
        || name.startsWith("duckdb_")
        || name.startsWith("pragma_")) {
      return "function "
          + name
          + " reads the database's settings or catalog; it is not allowed"
          + " in a write";
    }
    if (TABLE_FUNCTIONS.contains(name)) {
      return null;
    }
    Set<String> kinds = DuckDbFunctions.get().kinds(name);
    if (!kinds.isEmpty() && kinds.stream().noneMatch(ROW_FUNCTION_KINDS::contains)) {
      return "table function "
          + name
          + " reads files or the database; a write may use only range, generate_series and"
          + " unnest";
    }
    return null;
  }

  /** What is wrong with an INSERT's source query, or null: it may read no relation. */
  private static String sourceProblem(String query) {
    JsonNode tree;
    try {
      tree = DuckDbFunctions.get().parse(query);
    } catch (IllegalArgumentException e) {
      return "the INSERT's query: " + e.getMessage();
    }
    return relationProblem(tree);
  }

  private static String relationProblem(JsonNode node) {
    if (node.isObject()) {
      String type = node.path("type").asText("");
      if (type.equals("BASE_TABLE")) {
        return "the INSERT reads table "
            + node.path("table_name").asText()
            + "; an INSERT may read no table: its rows come from VALUES or constants";
      }
      if (type.equals("TABLE_FUNCTION")) {
        String name = node.path("function").path("function_name").asText("");
        if (!TABLE_FUNCTIONS.contains(name.toLowerCase(Locale.ROOT))) {
          return "the INSERT reads table function "
              + name
              + "; a write may use only range, generate_series and unnest";
        }
      }
    }
    for (JsonNode child : node) {
      String problem = relationProblem(child);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String partitionProblem(
      RecordStatement statement, TransactionRecord record, Table table) {
    PartitionSpec spec = table.spec();
    for (Map.Entry<String, Long> insert : statement.inserts().entrySet()) {
      String key = insert.getKey();
      if (insert.getValue() == null || insert.getValue() < 0) {
        return "the insert's row count for partition " + shorten(key) + " is not a count";
      }
      List<String> values = record.partitions().get(key);
      if (values == null) {
        return "the insert writes partition "
            + shorten(key)
            + ", whose values the record does not carry";
      }
      PartitionData partition;
      try {
        partition = PartitionValues.fromJson(spec, values);
      } catch (RuntimeException e) {
        return "partition "
            + shorten(key)
            + " is not a partition of the table's spec: "
            + e.getMessage();
      }
      if (!PartitionValues.key(spec, partition).equals(key)) {
        return "partition "
            + shorten(key)
            + " has the values of partition "
            + PartitionValues.key(spec, partition);
      }
    }
    return null;
  }

  private static String shorten(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
