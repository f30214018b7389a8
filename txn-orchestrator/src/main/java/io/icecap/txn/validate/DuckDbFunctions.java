package io.icecap.txn.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What DuckDB knows of functions and queries, from one confined in-memory database of the process:
 * the kinds of each function name, and the parse tree of a query. The answers depend only on the
 * DuckDB version, so they are the same at submit and in every worker.
 */
final class DuckDbFunctions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;
  private final Map<String, Set<String>> kinds;

  private DuckDbFunctions() {
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:");
      SandboxedDuckDb.confine(connection, List.of());
      Map<String, Set<String>> found = new HashMap<>();
      try (Statement statement = connection.createStatement();
          ResultSet functions =
              statement.executeQuery(
                  "SELECT DISTINCT lower(function_name), function_type FROM duckdb_functions()")) {
        while (functions.next()) {
          found
              .computeIfAbsent(functions.getString(1), name -> new HashSet<>())
              .add(functions.getString(2));
        }
      }
      kinds = Map.copyOf(found);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open an in-memory DuckDB database: " + e, e);
    }
  }

  private static final class Holder {
    private static final DuckDbFunctions INSTANCE = new DuckDbFunctions();
  }

  /** The process's instance. */
  static DuckDbFunctions get() {
    return Holder.INSTANCE;
  }

  /**
   * The kinds of the functions of this name ({@code scalar}, {@code aggregate}, {@code macro},
   * {@code window}, {@code table}, {@code table_macro}, {@code pragma}); empty for a name DuckDB
   * does not know as a function.
   */
  Set<String> kinds(String name) {
    return kinds.getOrDefault(name.toLowerCase(Locale.ROOT), Set.of());
  }

  /**
   * DuckDB's parse tree of one query.
   *
   * @throws IllegalArgumentException when DuckDB cannot parse it as one query
   */
  JsonNode parse(String query) {
    String text;
    synchronized (this) {
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT json_serialize_sql(?)")) {
        statement.setString(1, query);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          text = result.getString(1);
        }
      } catch (SQLException e) {
        throw new IllegalArgumentException("DuckDB cannot parse the query: " + e.getMessage(), e);
      }
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("DuckDB's parse tree is not JSON: " + e.getMessage(), e);
    }
    if (tree.path("error").asBoolean(false)) {
      throw new IllegalArgumentException(
          "DuckDB cannot parse the query: " + tree.path("error_message").asText());
    }
    if (tree.path("statements").size() != 1) {
      throw new IllegalArgumentException("the query is not exactly one SELECT");
    }
    return tree.path("statements").get(0);
  }
}
