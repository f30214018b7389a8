package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionScannerTest {
  /** Returns each reported call as its span text. */
  private static List<String> calls(String sql) {
    DmlStatement statement = DmlParser.parse(sql);
    return statement.functionCalls().stream().map(call -> statement.text(call.span())).toList();
  }

  @Test
  void reportsNestedCallsOuterFirstWithBalancedSpans() {
    DmlStatement statement =
        DmlParser.parse("UPDATE t SET a = upper(concat(b, lower('X)'), now())) WHERE c = 1");
    assertThat(statement.functionCalls())
        .extracting(FunctionCall::name, FunctionCall::niladic, FunctionCall::emptyArguments)
        .containsExactly(
            tuple(List.of("upper"), false, false),
            tuple(List.of("concat"), false, false),
            tuple(List.of("lower"), false, false),
            tuple(List.of("now"), false, true));
    assertThat(calls("UPDATE t SET a = upper(concat(b, lower('X)'), now())) WHERE c = 1"))
        .containsExactly(
            "upper(concat(b, lower('X)'), now()))",
            "concat(b, lower('X)'), now())",
            "lower('X)')",
            "now()");
  }

  @Test
  void reportsQualifiedAndQuotedFunctionNames() {
    DmlStatement statement =
        DmlParser.parse(
            "UPDATE t SET a = main.abs(-1), b = system.main.\"Odd Fn\"( ), c = x.upper()");
    assertThat(statement.functionCalls())
        .extracting(FunctionCall::name, FunctionCall::simpleName, FunctionCall::emptyArguments)
        .containsExactly(
            tuple(List.of("main", "abs"), "abs", false),
            tuple(List.of("system", "main", "Odd Fn"), "Odd Fn", true),
            tuple(List.of("x", "upper"), "upper", true));
    assertThat(statement.text(statement.functionCalls().get(1).span()))
        .isEqualTo("system.main.\"Odd Fn\"( )");
  }

  @Test
  void reportsNiladicKeywordsOnlyWhereTheyAreFunctions() {
    DmlStatement statement =
        DmlParser.parse(
            "UPDATE t SET a = current_date, b = CURRENT_TIMESTAMP, c = t.current_date,"
                + " d = \"current_user\", e = current_schema(), f = user, g = 1::localtime"
                + " WHERE h = LocalTimestamp");
    assertThat(statement.functionCalls())
        .extracting(call -> statement.text(call.span()), FunctionCall::niladic)
        .containsExactly(
            tuple("current_date", true),
            tuple("CURRENT_TIMESTAMP", true),
            tuple("current_schema()", false),
            tuple("user", true),
            tuple("LocalTimestamp", true));
    assertThat(statement.functionCalls().get(0).emptyArguments()).isTrue();
  }

  @Test
  void niladicKeywordsUsedAsQualifiersOrAliasesAreNames() {
    assertThat(
            DmlParser.parse("INSERT INTO t SELECT current_user.name, 1 AS current_date FROM u")
                .functionCalls())
        .isEmpty();
  }

  @Test
  void methodCallsOnLiteralsReportTheMethodName() {
    DmlStatement statement = DmlParser.parse("UPDATE t SET a = 'abc'.upper(), b = (1).abs()");
    assertThat(statement.functionCalls())
        .extracting(FunctionCall::name, call -> statement.text(call.span()))
        .containsExactly(tuple(List.of("upper"), "upper()"), tuple(List.of("abs"), "abs()"));
  }

  @Test
  void niladicKeywordsInSkeletonPositionsAreNames() {
    DmlStatement statement = DmlParser.parse("INSERT INTO t (current_date, user) VALUES (1, 2)");
    assertThat(statement.insertColumns()).containsExactly("current_date", "user");
    assertThat(statement.functionCalls()).isEmpty();
    assertThat(DmlParser.parse("UPDATE t SET current_date = 1").functionCalls()).isEmpty();
  }

  @Test
  void skipsKeywordsThatTakeParenthesesButAreNotFunctions() {
    assertThat(
            calls(
                "UPDATE t SET a = count(*) FILTER (WHERE b) OVER (PARTITION BY c),"
                    + " b = percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
                    + " c = CASE WHEN(x) THEN(y) ELSE(z) END"
                    + " WHERE e IN (1, 2) AND NOT(f) AND g = ANY([1]) AND EXISTS (SELECT 1)"))
        .containsExactly("count(*)", "percentile_cont(0.5)");
  }

  @Test
  void reportsCastAndOtherFunctionLikeKeywordsButNotTypeModifiers() {
    assertThat(
            calls(
                "UPDATE t SET a = CAST(x AS DECIMAL(10, 2)), b = y::VARCHAR(3),"
                    + " c = EXTRACT(year FROM d), e = TRY_CAST(z AS INT)"))
        .containsExactly("CAST(x AS DECIMAL(10, 2))", "EXTRACT(year FROM d)", "TRY_CAST(z AS INT)");
  }

  @Test
  void skipsTheTargetAliasAndColumnListOfAnInsert() {
    assertThat(calls("INSERT INTO f AS g (a, b) VALUES (h(1), 2)")).containsExactly("h(1)");
  }

  @Test
  void skipsTableAliasColumnListsAndStarModifiers() {
    assertThat(
            calls(
                "INSERT INTO t SELECT * EXCLUDE (a) REPLACE (b AS c), replace(d, 'x', 'y')"
                    + " FROM (VALUES (1)) v(a) JOIN \"u\" w(b) ON true JOIN range(3) AS r(i) ON"
                    + " true"))
        .containsExactly("replace(d, 'x', 'y')", "range(3)");
  }

  @Test
  void reportsFunctionsThatShareANameWithAClauseKeyword() {
    assertThat(
            calls(
                "INSERT INTO t SELECT filter(l, lambda x: x > 1), count(*) FILTER (WHERE b)"
                    + " FROM glob('*.csv')"))
        .containsExactly("filter(l, lambda x: x > 1)", "count(*)", "glob('*.csv')");
  }

  @Test
  void skipsColumnListsOfCommonTableExpressions() {
    assertThat(
            calls(
                "INSERT INTO t WITH RECURSIVE r(n) AS (SELECT 1), s(m) AS MATERIALIZED (SELECT 2),"
                    + " u(k) AS NOT MATERIALIZED (SELECT 3)"
                    + " SELECT CAST(f(n) AS INT) FROM r, s, u"))
        .containsExactly("CAST(f(n) AS INT)", "f(n)");
  }

  @Test
  void reportsTableFunctionsInUpdateFrom() {
    DmlStatement statement =
        DmlParser.parse("UPDATE t SET a = s.a FROM read_csv('x.csv') s WHERE t.id = s.id");
    assertThat(statement.functionCalls())
        .extracting(FunctionCall::simpleName)
        .containsExactly("read_csv");
    assertThat(statement.hasSubquery()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE t SET a = (SELECT max(b) FROM u)",
        "DELETE FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)",
        "DELETE FROM t WHERE a IN (FROM u SELECT b)",
        "DELETE FROM t WHERE a IN (WITH x AS (SELECT 1) SELECT * FROM x)",
        "DELETE FROM t WHERE a IN (TABLE u)",
        "DELETE FROM t WHERE a = ANY(SELECT b FROM u)",
        "DELETE FROM t USING (SELECT 1 AS id) s WHERE t.id = s.id",
        "UPDATE t SET a = 1 RETURNING (SELECT 1)",
        "INSERT INTO t VALUES ((SELECT 1))",
        "INSERT INTO t SELECT * FROM u WHERE b IN (SELECT c FROM v)",
        "INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x",
        "INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE SET a = (SELECT 2)",
      })
  void flagsNestedQueries(String sql) {
    assertThat(DmlParser.parse(sql).hasSubquery()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "INSERT INTO t SELECT a FROM u WHERE b = 1 UNION ALL SELECT 2 FROM v",
        "INSERT INTO t (SELECT a FROM u)",
        "INSERT INTO t FROM u SELECT a",
        "DELETE FROM t WHERE a IS DISTINCT FROM b",
        "UPDATE t SET a = EXTRACT(year FROM d), b = 'SELECT 1', c = \"select\"",
        "UPDATE t SET a = x::TIMESTAMP WITH TIME ZONE",
        "UPDATE t SET a = 1 FROM u WHERE t.id = u.id",
      })
  void doesNotFlagTheStatementsOwnClauses(String sql) {
    assertThat(DmlParser.parse(sql).hasSubquery()).isFalse();
  }

  @Test
  void collectsParametersInsideInListsAndCallsButNotInsideStrings() {
    DmlStatement statement =
        DmlParser.parse("DELETE FROM t WHERE a IN (?, ?, f(?)) AND b = '?' AND c = \"?\"");
    assertThat(statement.parameters())
        .extracting(parameter -> statement.text(parameter.span()), Parameter::number)
        .containsExactly(
            tuple("?", OptionalInt.empty()),
            tuple("?", OptionalInt.empty()),
            tuple("?", OptionalInt.empty()));
  }

  @Test
  void numbersNumberedParameters() {
    DmlStatement statement = DmlParser.parse("UPDATE t SET a = $2, b = $1 WHERE c = $2 AND d = ?3");
    assertThat(statement.parameters())
        .extracting(parameter -> parameter.number().getAsInt())
        .containsExactly(2, 1, 2, 3);
  }
}
