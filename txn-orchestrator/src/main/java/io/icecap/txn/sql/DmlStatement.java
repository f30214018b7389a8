package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The structure of one INSERT, UPDATE or DELETE, as found by {@link DmlParser#parse(String)}.
 * Expressions are not analysed; they are reported as {@link Span}s of {@link #sql()}.
 *
 * @param sql the statement text exactly as submitted; every span refers to it
 * @param kind INSERT, UPDATE or DELETE
 * @param target the table written to
 * @param alias the table alias if one is written ({@code UPDATE orders o}, {@code ... AS o})
 * @param setColumns for UPDATE, the assigned columns in order ({@code SET (a, b) = ...} gives
 *     both); empty otherwise
 * @param where the expression after a top-level WHERE of an UPDATE or DELETE, without the keyword
 * @param insertColumns for INSERT, the explicit column list; empty when none is written
 * @param insertSource for INSERT, where its rows come from; empty otherwise
 * @param sourceQuery for an INSERT whose rows come from a query, the query's text without enclosing
 *     parentheses; empty otherwise
 * @param parameters every parameter placeholder, in order of appearance
 * @param functionCalls every function call and niladic keyword function, in order of appearance;
 *     {@code CAST}, {@code TRY_CAST}, {@code EXTRACT} and other function-like keywords are reported
 *     as calls, keywords such as {@code IN}, {@code VALUES} or {@code OVER} are not
 * @param hasSubquery true when a query is nested anywhere in the statement (SELECT, EXISTS, or a
 *     parenthesis opening with WITH, FROM or TABLE); the source query of an INSERT is not itself a
 *     subquery, but queries nested in it, its CTE bodies included, are
 * @param returning the top-level RETURNING clause, from the keyword to the end of the clause
 * @param updateFrom true for {@code UPDATE ... FROM ...}
 * @param deleteUsing true for {@code DELETE ... USING ...}
 * @param onConflict true for {@code INSERT ... ON CONFLICT}, {@code INSERT OR REPLACE} and {@code
 *     INSERT OR IGNORE}
 */
public record DmlStatement(
    String sql,
    DmlKind kind,
    TableName target,
    Optional<String> alias,
    List<String> setColumns,
    Optional<Span> where,
    List<String> insertColumns,
    Optional<InsertSource> insertSource,
    Optional<Span> sourceQuery,
    List<Parameter> parameters,
    List<FunctionCall> functionCalls,
    boolean hasSubquery,
    Optional<Span> returning,
    boolean updateFrom,
    boolean deleteUsing,
    boolean onConflict) {

  public DmlStatement {
    requireNonNull(sql, "sql is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(target, "target is null");
    requireNonNull(alias, "alias is null");
    setColumns = List.copyOf(requireNonNull(setColumns, "setColumns is null"));
    requireNonNull(where, "where is null");
    insertColumns = List.copyOf(requireNonNull(insertColumns, "insertColumns is null"));
    requireNonNull(insertSource, "insertSource is null");
    requireNonNull(sourceQuery, "sourceQuery is null");
    parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
    functionCalls = List.copyOf(requireNonNull(functionCalls, "functionCalls is null"));
    requireNonNull(returning, "returning is null");
    check(target.span().end() <= sql.length(), "target span lies outside the SQL text");
    check((kind == DmlKind.UPDATE) != setColumns.isEmpty(), "only an UPDATE assigns columns");
    check((kind == DmlKind.INSERT) == insertSource.isPresent(), "only an INSERT has a source");
    check(kind == DmlKind.INSERT || insertColumns.isEmpty(), "only an INSERT has a column list");
    check(
        sourceQuery.isEmpty() || insertSource.orElse(null) == InsertSource.SELECT,
        "only an INSERT from a query has a source query");
    check(kind != DmlKind.INSERT || where.isEmpty(), "an INSERT has no statement-level WHERE");
    check(kind == DmlKind.UPDATE || !updateFrom, "only an UPDATE has a FROM clause");
    check(kind == DmlKind.DELETE || !deleteUsing, "only a DELETE has a USING clause");
    check(kind == DmlKind.INSERT || !onConflict, "only an INSERT has a conflict clause");
  }

  /** Returns true when the statement has a top-level RETURNING clause. */
  public boolean hasReturning() {
    return returning.isPresent();
  }

  /** Returns the spans of {@link #parameters()}, in order of appearance. */
  public List<Span> parameterSpans() {
    return parameters.stream().map(Parameter::span).toList();
  }

  /** Returns the text of {@code span}, which must come from this statement. */
  public String text(Span span) {
    return span.text(sql);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("Inconsistent DML statement: " + message);
    }
  }
}
