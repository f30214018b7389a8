package io.icecap.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.icecap.catalog.NameCase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A query as DuckDB's own parser reads it ({@code json_serialize_sql}): the tables it names, and
 * for each table reference the simple conjuncts of its SELECT's WHERE that compare one of its
 * columns with constants. Those conjuncts are implied by the query, so files whose statistics rule
 * them out can be skipped; every one of them rejects NULL, so skipping is safe under outer joins.
 */
final class SelectTree {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> COMPARISONS =
      Map.of(
          "COMPARE_EQUAL", "=",
          "COMPARE_LESSTHAN", "<",
          "COMPARE_GREATERTHAN", ">",
          "COMPARE_LESSTHANOREQUALTO", "<=",
          "COMPARE_GREATERTHANOREQUALTO", ">=");
  private static final Map<String, String> FLIPPED =
      Map.of("=", "=", "<", ">", ">", "<", "<=", ">=", ">=", "<=");

  /**
   * A table the query names.
   *
   * @param parts its name as written: [table], [schema, table], [catalog, schema, table], or more
   *     parts for a table in a nested namespace
   * @param alias the alias, or empty
   * @param atUnit {@code VERSION} or {@code TIMESTAMP} for {@code AT (...)}, else null
   * @param at the {@code AT} expression's operand, else null
   * @param start where the reference (name, alias and AT clause) starts, in UTF-8 bytes
   * @param length its length, in UTF-8 bytes
   * @param columnAliases the names its alias gives the columns ({@code AS x(a, b)}), or empty
   */
  record TableRef(
      List<String> parts,
      String alias,
      String atUnit,
      Operand at,
      int start,
      int length,
      List<String> columnAliases) {
    /** The name the query's columns may use for it. */
    String visibleName() {
      return alias.isEmpty() ? parts.get(parts.size() - 1) : alias;
    }
  }

  /**
   * A constant: a literal of DuckDB's kind ({@code STRING}, {@code INTEGER}, {@code NUMERIC} …),
   * maybe cast to a type, or the value bound to a parameter.
   *
   * @param kind the literal's kind, or {@code PARAMETER}
   * @param text the literal's text, or the parameter's 1-based number
   * @param castTo the type it is cast to, upper case, or null
   * @param expression the constant's expression as DuckDB's parse tree has it
   */
  record Operand(String kind, String text, String castTo, JsonNode expression) {}

  /**
   * A conjunct {@code column op constant(s)} of a table reference's WHERE.
   *
   * @param op {@code =}, {@code <}, {@code >}, {@code <=}, {@code >=}, {@code IN} or {@code
   *     BETWEEN} (whose two operands are the bounds)
   */
  record Conjunct(String column, String op, List<Operand> operands) {}

  /** A conjunct as written: the column's name parts, the operator and the constants. */
  private record Written(List<String> names, String op, List<Operand> operands) {}

  private final List<TableRef> tables = new ArrayList<>();
  private final Map<TableRef, List<Conjunct>> conjuncts = new LinkedHashMap<>();
  private final Set<String> cteNames = new HashSet<>();

  private SelectTree() {}

  /**
   * Parses a query.
   *
   * @throws IcecapException when it does not parse, or is not a query
   */
  static SelectTree parse(Connection duckdb, String sql) {
    String json;
    try (PreparedStatement serialize = duckdb.prepareStatement("SELECT json_serialize_sql(?)")) {
      serialize.setString(1, sql);
      try (ResultSet result = serialize.executeQuery()) {
        result.next();
        json = result.getString(1);
      }
    } catch (SQLException e) {
      throw new IcecapException(
          ErrorCode.INTERNAL, e, "Cannot parse the query: %s", e.getMessage());
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IcecapException(ErrorCode.INTERNAL, e, "DuckDB's parse tree is not JSON");
    }
    if (root.path("error").asBoolean(false)) {
      String type = root.path("error_type").asText("");
      String message = root.path("error_message").asText("");
      if (type.equals("parser")) {
        throw new IcecapException(
            ErrorCode.SYNTAX_ERROR,
            "Syntax error in the query%s: %s",
            position(sql, root.path("position").asText("")),
            message);
      }
      throw new IcecapException(
          ErrorCode.UNSUPPORTED,
          "Not a query: %s (use execute for INSERT, UPDATE, DELETE and DDL)",
          message);
    }
    SelectTree tree = new SelectTree();
    for (JsonNode statement : root.path("statements")) {
      tree.collectCtes(statement);
      tree.walk(statement.path("node"));
    }
    return tree;
  }

  private static String position(String sql, String bytePosition) {
    if (bytePosition.isEmpty()) {
      return "";
    }
    return " at character " + (Utf8.charIndex(sql, Integer.parseInt(bytePosition)) + 1);
  }

  List<TableRef> tables() {
    return tables;
  }

  /** The conjuncts of a reference's WHERE on its own columns (empty when there are none). */
  List<Conjunct> conjuncts(TableRef ref) {
    return conjuncts.getOrDefault(ref, List.of());
  }

  /** Whether an unqualified name is one of the query's common table expressions. */
  boolean isCte(String name) {
    return cteNames.contains(NameCase.fold(name));
  }

  private void collectCtes(JsonNode node) {
    if (node.isObject()) {
      for (JsonNode entry : node.path("cte_map").path("map")) {
        cteNames.add(NameCase.fold(entry.path("key").asText("")));
      }
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        collectCtes(child);
      }
    }
  }

  private void walk(JsonNode node) {
    if (node.isObject() && "SELECT_NODE".equals(node.path("type").asText())) {
      select(node);
    }
    for (JsonNode child : node) {
      if (child.isContainerNode()) {
        walk(child);
      }
    }
  }

  /** One SELECT: the base tables of its FROM, and its WHERE's conjuncts on them. */
  private void select(JsonNode node) {
    List<JsonNode> sources = new ArrayList<>();
    leaves(node.path("from_table"), sources);
    List<TableRef> refs = new ArrayList<>();
    for (JsonNode source : sources) {
      if ("BASE_TABLE".equals(source.path("type").asText())) {
        TableRef ref = tableRef(source);
        refs.add(ref);
        tables.add(ref);
      }
    }
    if (refs.isEmpty()) {
      return;
    }
    List<JsonNode> where = new ArrayList<>();
    conjunctsOf(node.path("where_clause"), where);
    for (JsonNode conjunct : where) {
      for (Written written : conjunct(conjunct)) {
        own(written, refs, sources.size());
      }
    }
  }

  /** Files a conjunct under the table reference whose column it compares, if any. */
  private void own(Written written, List<TableRef> refs, int sources) {
    TableRef owner = owner(written.names(), refs, sources);
    // a column alias list renames the columns: a conjunct's name is not the table's column's
    if (owner != null && owner.columnAliases().isEmpty()) {
      conjuncts
          .computeIfAbsent(owner, r -> new ArrayList<>())
          .add(
              new Conjunct(
                  written.names().get(written.names().size() - 1),
                  written.op(),
                  written.operands()));
    }
  }

  private static void leaves(JsonNode from, List<JsonNode> sources) {
    if (from.isMissingNode() || from.isNull()) {
      return;
    }
    if ("JOIN".equals(from.path("type").asText())) {
      leaves(from.path("left"), sources);
      leaves(from.path("right"), sources);
    } else if (!"EMPTY".equals(from.path("type").asText())) {
      sources.add(from);
    }
  }

  private static TableRef tableRef(JsonNode source) {
    List<String> parts = new ArrayList<>();
    // every part of a name of more than three (a.b.c.t), where catalog, schema and table hold three
    source.path("qualified_name").path("path").forEach(part -> parts.add(part.asText()));
    if (parts.isEmpty()) {
      for (String field : List.of("catalog_name", "schema_name", "table_name")) {
        String part = source.path(field).asText("");
        if (!part.isEmpty()) {
          parts.add(part);
        }
      }
    }
    JsonNode at = source.path("at_clause");
    String unit = null;
    Operand operand = null;
    if (at.isObject()) {
      unit = at.path("unit").asText("").toUpperCase(Locale.ROOT);
      operand = operand(at.path("expr"));
    }
    List<String> columnAliases = new ArrayList<>();
    source.path("column_name_alias").forEach(name -> columnAliases.add(name.asText()));
    return new TableRef(
        List.copyOf(parts),
        source.path("alias").asText(""),
        unit,
        operand,
        source.path("query_location").asInt(),
        source.path("query_location_length").asInt(),
        List.copyOf(columnAliases));
  }

  private static void conjunctsOf(JsonNode expression, List<JsonNode> out) {
    if (expression.isMissingNode() || expression.isNull()) {
      return;
    }
    if ("CONJUNCTION_AND".equals(expression.path("type").asText())) {
      for (JsonNode child : expression.path("children")) {
        conjunctsOf(child, out);
      }
    } else {
      out.add(expression);
    }
  }

  /** A conjunct of a supported shape, or null. */
  private static List<Written> conjunct(JsonNode expression) {
    String type = expression.path("type").asText();
    if ("COMPARE_BETWEEN".equals(type)) {
      JsonNode input = expression.path("input");
      Operand lower = operand(expression.path("lower"));
      Operand upper = operand(expression.path("upper"));
      if (!isColumn(input) || lower == null || upper == null) {
        return List.of();
      }
      return List.of(new Written(names(input), "BETWEEN", List.of(lower, upper)));
    }
    if (COMPARISONS.containsKey(type)) {
      JsonNode left = expression.path("left");
      JsonNode right = expression.path("right");
      String op = COMPARISONS.get(type);
      if (isColumn(left) && operand(right) != null) {
        return List.of(new Written(names(left), op, List.of(operand(right))));
      }
      if (isColumn(right) && operand(left) != null) {
        return List.of(new Written(names(right), FLIPPED.get(op), List.of(operand(left))));
      }
      return List.of();
    }
    if ("COMPARE_IN".equals(type)) {
      JsonNode children = expression.path("children");
      if (children.size() < 2 || !isColumn(children.get(0))) {
        return List.of();
      }
      List<Operand> operands = new ArrayList<>();
      for (int i = 1; i < children.size(); i++) {
        Operand operand = operand(children.get(i));
        if (operand == null) {
          return List.of();
        }
        operands.add(operand);
      }
      return List.of(new Written(names(children.get(0)), "IN", operands));
    }
    return List.of();
  }

  private static boolean isColumn(JsonNode node) {
    return "COLUMN_REF".equals(node.path("class").asText());
  }

  private static List<String> names(JsonNode column) {
    List<String> names = new ArrayList<>();
    column.path("column_names").forEach(n -> names.add(n.asText()));
    return names;
  }

  private static Operand operand(JsonNode node) {
    String type = node.path("class").asText();
    if (type.equals("CONSTANT")) {
      JsonNode literal = node.path("literal");
      if (!literal.isObject()) {
        return null;
      }
      return new Operand(
          literal.path("kind").asText("").toUpperCase(Locale.ROOT),
          literal.path("text").asText(""),
          null,
          node);
    }
    if (type.equals("PARAMETER")) {
      return new Operand("PARAMETER", node.path("identifier").asText(""), null, node);
    }
    if (type.equals("CAST") && !node.path("try_cast").asBoolean(false)) {
      Operand child = operand(node.path("child"));
      String castTo = node.path("type_expr").path("type_name").asText("");
      if (child == null || child.castTo() != null || castTo.isEmpty()) {
        return null;
      }
      return new Operand(child.kind(), child.text(), castTo.toUpperCase(Locale.ROOT), node);
    }
    return null;
  }

  /**
   * The reference a column belongs to: the one its qualifier names, or the only source of the FROM
   * when it is unqualified.
   */
  private static TableRef owner(List<String> names, List<TableRef> refs, int sources) {
    if (names.size() == 1) {
      return sources == 1 && refs.size() == 1 ? refs.get(0) : null;
    }
    if (names.size() == 2) {
      TableRef found = null;
      for (TableRef ref : refs) {
        if (NameCase.fold(ref.visibleName()).equals(NameCase.fold(names.get(0)))) {
          if (found != null) {
            return null;
          }
          found = ref;
        }
      }
      return found;
    }
    return null;
  }
}
