package io.icecap.txn.validate;

import static java.util.Objects.requireNonNull;

import io.icecap.replica.DuckDbReplica;
import io.icecap.txn.SqlStatement;
import io.icecap.txn.TransactionRejectedException;
import io.icecap.txn.record.PartitionValues;
import io.icecap.txn.record.RecordStatement;
import io.icecap.txn.sql.DmlKind;
import io.icecap.txn.sql.DmlParser;
import io.icecap.txn.sql.DmlStatement;
import io.icecap.txn.sql.FunctionCall;
import io.icecap.txn.sql.Parameter;
import io.icecap.txn.sql.SqlRewriter;
import io.icecap.txn.sql.SqlSyntaxException;
import io.icecap.txn.sql.UnsupportedStatementException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;

/** The checks and rewrites of one statement of a transaction being validated. */
final class StatementCheck {
  private final Table table;
  private final ValidationDatabase database;
  private final ValidationDatabase.Lease lease;
  private final int number;
  private final ValidationLimits limits;
  private final Path stagingDir;
  private final String what;
  private final boolean single;

  StatementCheck(
      Table table,
      ValidationDatabase database,
      ValidationDatabase.Lease lease,
      int number,
      int count,
      ValidationLimits limits,
      Path stagingDir) {
    this.table = requireNonNull(table, "table is null");
    this.database = requireNonNull(database, "database is null");
    this.lease = requireNonNull(lease, "lease is null");
    this.number = number;
    this.limits = requireNonNull(limits, "limits is null");
    this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
    this.single = count == 1;
    this.what =
        count == 1
            ? "Cannot write to " + table.name()
            : "Cannot write to " + table.name() + ": statement " + number + " of " + count;
  }

  /** Checks the statement and returns its log form; inserts add their partitions' values. */
  RecordStatement run(
      SqlStatement statement,
      String transactionId,
      Map<String, Path> staged,
      Map<String, List<String>> partitions) {
    if (statement.sql().length() > limits.maxStatementChars()) {
      throw reject(
          "the statement is %d characters long, over the limit of %d; split it into several"
              + " statements or transactions",
          statement.sql().length(), limits.maxStatementChars());
    }
    String fastKey = single ? FastPath.key(statement.sql(), statement.parameters()) : null;
    java.util.Optional<FastPath> fast = single ? database.fastPath(fastKey) : null;
    RecordStatement logged = validate(statement, transactionId, staged, partitions);
    if (single && fast == null) {
      database.rememberFastPath(fastKey, fastPathOf(statement));
    }
    return logged;
  }

  private FastPath fastPathOf(SqlStatement statement) {
    try {
      return FastPath.of(
          statement.sql(),
          statement.parameters(),
          table.schema(),
          table.spec(),
          database::stability,
          lease.strict());
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  private RecordStatement validate(
      SqlStatement statement,
      String transactionId,
      Map<String, Path> staged,
      Map<String, List<String>> partitions) {
    DmlStatement parsed = parse(statement.sql());
    checkTarget(parsed);
    refuseUnsupported(parsed);
    List<String> literals = new ArrayList<>();
    DmlStatement bound = parse(inlineParameters(parsed, statement.parameters(), literals));
    DmlStatement deterministic = parse(bindTimeFunctions(bound));
    try {
      RecordStatement logged =
          deterministic.kind() == DmlKind.INSERT
              ? insert(deterministic, transactionId, staged, partitions)
              : updateOrDelete(deterministic);
      String template =
          logged.staged() == null
              ? template(
                  parsed,
                  parsed.kind() == DmlKind.INSERT
                      ? RecordStatement.INSERT_STAGING
                      : DuckDbReplica.ROWS)
              : null;
      return template == null
          ? logged
          : new RecordStatement(
              logged.kind(),
              logged.sql(),
              null,
              logged.inserts(),
              logged.routing(),
              template,
              literals);
    } catch (SQLException e) {
      throw reject("%s", DuckDbMessages.clean(e.getMessage(), table.name()));
    }
  }

  private DmlStatement parse(String sql) {
    try {
      return DmlParser.parse(sql);
    } catch (SqlSyntaxException | UnsupportedStatementException e) {
      throw reject("%s", e.getMessage());
    }
  }

  /**
   * Checks that the statement names the transaction's table: by its name alone, with its namespace,
   * or with catalog and namespace. Names compare exactly as the catalog keeps them (the session
   * resolved the table from these very parts), except the catalog's name, which compares ignoring
   * case as DuckDB compares catalog names.
   */
  private void checkTarget(DmlStatement statement) {
    List<String> parts = statement.target().parts();
    String full = table.name();
    String written = String.join(".", parts);
    boolean matches = full.equals(written) || full.endsWith("." + written);
    if (!matches && parts.size() > 1) {
      String rest = String.join(".", parts.subList(1, parts.size()));
      String catalog = parts.get(0);
      matches =
          full.length() == catalog.length() + 1 + rest.length()
              && full.regionMatches(true, 0, catalog, 0, catalog.length())
              && full.endsWith("." + rest);
    }
    if (!matches) {
      throw reject(
          "the statement writes %s, but a transaction writes one table, %s; submit it as a"
              + " transaction on %s",
          written, table.name(), written);
    }
  }

  private void refuseUnsupported(DmlStatement statement) {
    if (statement.hasReturning()) {
      throw reject("RETURNING is not supported: a write's result is its row counts");
    }
    if (statement.onConflict()) {
      throw reject(
          "ON CONFLICT, INSERT OR REPLACE and INSERT OR IGNORE are not supported: Iceberg tables"
              + " have no primary key; use UPDATE and INSERT");
    }
    if (statement.updateFrom() || statement.deleteUsing()) {
      throw reject(
          "%s reads another table, which is not supported: a write may read only the rows it"
              + " changes",
          statement.updateFrom() ? "UPDATE ... FROM" : "DELETE ... USING");
    }
    if (statement.hasSubquery()) {
      throw reject(
          "subqueries are not supported in writes: each partition applies a write on its own, so"
              + " a subquery over the table would see only that partition's rows; compute the"
              + " values first and bind them as parameters");
    }
    if (statement.kind() == DmlKind.UPDATE) {
      PartitionSpec spec = table.spec();
      for (String column : statement.setColumns()) {
        for (int i = 0; i < spec.fields().size(); i++) {
          String source = spec.schema().findColumnName(spec.fields().get(i).sourceId());
          if (source.equalsIgnoreCase(column)) {
            throw reject(
                "the UPDATE sets column %s, which partitions the table (%s); moving rows between"
                    + " partitions is not supported: DELETE the rows and INSERT them again",
                column, spec.fields().get(i));
          }
        }
      }
    }
  }

  /**
   * The statement with its positional parameters left as {@code ?} and time functions bound: the
   * form by which workers recognize runs of the same statement to apply as one set-based one. Null
   * when the statement has no positional parameters or a parameter inside a time function.
   *
   * @param target the table the template writes: {@code rows}, or the insert staging table
   */
  private String template(DmlStatement statement, String target) {
    if (statement.parameters().isEmpty()
        || statement.parameters().stream().anyMatch(p -> p.number().isPresent())) {
      return null;
    }
    for (FunctionCall call : statement.functionCalls()) {
      for (Parameter parameter : statement.parameters()) {
        if (call.span().contains(parameter.span())) {
          return null;
        }
      }
    }
    return SqlRewriter.retarget(parse(bindTimeFunctions(statement)), target);
  }

  private String inlineParameters(
      DmlStatement statement, List<Object> values, List<String> literals) {
    List<Parameter> parameters = statement.parameters();
    boolean numbered = parameters.stream().anyMatch(p -> p.number().isPresent());
    int needed =
        numbered
            ? parameters.stream().mapToInt(p -> p.number().getAsInt()).max().orElse(0)
            : parameters.size();
    if (needed != values.size()) {
      throw reject(
          "the statement has %d parameter%s but %d value%s bound",
          needed, needed == 1 ? "" : "s", values.size(), values.size() == 1 ? " was" : "s were");
    }
    List<SqlRewriter.Replacement> replacements = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter parameter = parameters.get(i);
      int index = numbered ? parameter.number().getAsInt() - 1 : i;
      String literal;
      try {
        literal = ParameterLiterals.of(values.get(index), index + 1);
      } catch (IllegalArgumentException e) {
        throw reject("%s", e.getMessage());
      }
      replacements.add(new SqlRewriter.Replacement(parameter.span(), literal));
      literals.add(literal);
    }
    return SqlRewriter.rewrite(statement.sql(), replacements);
  }

  private String bindTimeFunctions(DmlStatement statement) {
    List<SqlRewriter.Replacement> replacements = new ArrayList<>();
    int boundUpTo = 0;
    for (FunctionCall call : statement.functionCalls()) {
      if (call.span().start() < boundUpTo) {
        continue;
      }
      String name = call.simpleName().toLowerCase(Locale.ROOT);
      String stability = call.niladic() ? "CONSISTENT_WITHIN_QUERY" : database.stability(name);
      if (stability == null || "error".equals(name) || "CONSISTENT".equals(stability)) {
        continue;
      }
      if ("VOLATILE".equals(stability)) {
        throw reject(
            "%s returns a new value on every call, so the statement would not replay the same in"
                + " every partition; compute the value in the client and bind it as a parameter",
            call.niladic() ? name : name + "()");
      }
      String text = statement.text(call.span());
      replacements.add(new SqlRewriter.Replacement(call.span(), valueOf(text, name)));
      boundUpTo = call.span().end();
    }
    return SqlRewriter.rewrite(statement.sql(), replacements);
  }

  /** The value of a time function at submit, as a typed literal. */
  private String valueOf(String call, String name) {
    try (Statement statement = lease.strict().createStatement();
        ResultSet value =
            statement.executeQuery(
                "SELECT CAST((" + call + ") AS VARCHAR), typeof(" + call + ")")) {
      value.next();
      String text = value.getString(1);
      return text == null
          ? "NULL"
          : "CAST(" + ParameterLiterals.string(text) + " AS " + value.getString(2) + ")";
    } catch (SQLException e) {
      throw reject(
          "%s is evaluated once at submit, so its arguments must be constants: %s",
          name, DuckDbMessages.clean(e.getMessage(), table.name()));
    }
  }

  private RecordStatement insert(
      DmlStatement statement,
      String transactionId,
      Map<String, Path> staged,
      Map<String, List<String>> partitions)
      throws SQLException {
    String sql = SqlRewriter.retarget(statement, RecordStatement.INSERT_STAGING);
    PartitionSpec spec = table.spec();
    Map<String, Long> inserts = new LinkedHashMap<>();
    long rows = 0;
    try (Statement run = lease.strict().createStatement()) {
      run.execute("DELETE FROM " + RecordStatement.INSERT_STAGING);
      run.execute(sql);
      List<String> expressions = lease.partitions().expressions();
      String select =
          expressions.isEmpty()
              ? "SELECT count(*) FROM " + RecordStatement.INSERT_STAGING
              : "SELECT "
                  + String.join(", ", expressions)
                  + ", count(*) FROM "
                  + RecordStatement.INSERT_STAGING
                  + " GROUP BY ALL";
      try (ResultSet counts = run.executeQuery(select)) {
        while (counts.next()) {
          long count = counts.getLong(expressions.size() + 1);
          if (count == 0) {
            continue;
          }
          PartitionData partition =
              spec.isPartitioned()
                  ? lease.partitions().partitionOf(counts, 1)
                  : new PartitionData(spec.partitionType());
          String key = PartitionValues.key(spec, partition);
          inserts.merge(key, count, Long::sum);
          partitions.putIfAbsent(key, PartitionValues.toJson(spec, partition));
          rows += count;
        }
      }
      if (rows > limits.maxInsertRows()) {
        throw reject(
            "the INSERT writes %d rows, over the limit of %d per statement; split it",
            rows, limits.maxInsertRows());
      }
      // the table's constraints hold, and later statements of the transaction see the rows
      run.execute(
          "INSERT INTO " + DuckDbReplica.ROWS + " SELECT * FROM " + RecordStatement.INSERT_STAGING);
      if (sql.length() > limits.stageAboveChars()) {
        Path file = stagingDir.resolve(transactionId + "-" + number + ".parquet");
        run.execute(
            "COPY (SELECT * FROM "
                + RecordStatement.INSERT_STAGING
                + ") TO "
                + ParameterLiterals.string(file.toAbsolutePath().toString())
                + " (FORMAT PARQUET)");
        String location =
            table.location() + "/icecap/staged/" + transactionId + "-" + number + ".parquet";
        staged.put(location, file);
        return new RecordStatement(DmlKind.INSERT, null, location, inserts, null);
      }
    }
    return new RecordStatement(DmlKind.INSERT, sql, null, inserts, null);
  }

  private RecordStatement updateOrDelete(DmlStatement statement) throws SQLException {
    String sql = SqlRewriter.retarget(statement, DuckDbReplica.ROWS);
    try (Statement strict = lease.strict().createStatement()) {
      strict.executeUpdate(sql);
    }
    checkConstants(statement, sql);
    return new RecordStatement(
        statement.kind(), sql, null, null, new Routing(table, lease, this::reject).of(statement));
  }

  /**
   * Runs an UPDATE or DELETE over a row of NULLs of its own (what an earlier statement of the
   * transaction did to it is rolled back first), so that constant expressions are evaluated. A
   * failure there refuses the statement when the failing part reads no column, or when it fails
   * over a row of plain non-NULL values too ({@link SampleRow}): it then fails on any row it
   * touches, as far as submit can tell. Otherwise it fails or not by the table's rows, which only
   * the worker has, and is left to the apply (which aborts the transaction if it fails on them).
   */
  private void checkConstants(DmlStatement statement, String sql) throws SQLException {
    String failing = sql;
    boolean withWhere = true;
    SQLException failure = failureOver(sql, false);
    if (failure == null && statement.kind() == DmlKind.UPDATE && statement.where().isPresent()) {
      DmlStatement everyRow =
          parse(
              SqlRewriter.rewrite(
                  statement.sql(),
                  List.of(new SqlRewriter.Replacement(statement.where().get(), "true"))));
      failing = SqlRewriter.retarget(everyRow, DuckDbReplica.ROWS);
      withWhere = false;
      failure = failureOver(failing, false);
    }
    if (failure != null
        && (!ColumnReferences.readsColumns(statement, table.schema(), withWhere)
            || failureOver(failing, true) != null)) {
      throw failure;
    }
  }

  /** The error of a statement over the lenient row (of NULLs, or of sample values), or null. */
  private SQLException failureOver(String sql, boolean sample) throws SQLException {
    Connection lenient = lease.lenient();
    lenient.rollback();
    try (Statement statement = lenient.createStatement()) {
      if (sample) {
        statement.executeUpdate(
            "UPDATE " + DuckDbReplica.ROWS + " SET " + SampleRow.assignments(table.schema()));
      }
      statement.executeUpdate(sql);
      return null;
    } catch (SQLException e) {
      return e;
    } finally {
      lenient.rollback();
    }
  }

  TransactionRejectedException reject(String message, Object... args) {
    return new TransactionRejectedException(what + ": " + String.format(message, args));
  }
}
