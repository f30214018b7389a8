package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DmlParserTest {
  private static String where(DmlStatement statement) {
    return statement.text(statement.where().orElseThrow());
  }

  @Test
  void readsAnUpdateWithQualifiedTargetSetListWhereAndReturning() {
    String sql =
        "UPDATE shop.orders SET qty = orders.qty + 1, b = f(x, y), \"Weird Col\" = 2"
            + " WHERE id = 1 RETURNING id, qty;";
    DmlStatement statement = DmlParser.parse(sql);

    assertThat(statement.kind()).isEqualTo(DmlKind.UPDATE);
    assertThat(statement.target().parts()).containsExactly("shop", "orders");
    assertThat(statement.text(statement.target().span())).isEqualTo("shop.orders");
    assertThat(statement.target().lastPart()).isEqualTo("orders");
    assertThat(statement.alias()).isEmpty();
    assertThat(statement.setColumns()).containsExactly("qty", "b", "Weird Col");
    assertThat(where(statement)).isEqualTo("id = 1");
    assertThat(statement.hasReturning()).isTrue();
    assertThat(statement.text(statement.returning().orElseThrow())).isEqualTo("RETURNING id, qty");
    assertThat(statement.insertColumns()).isEmpty();
    assertThat(statement.insertSource()).isEmpty();
    assertThat(statement.updateFrom()).isFalse();
    assertThat(statement.hasSubquery()).isFalse();
  }

  @Test
  void readsUpdateAliasesWithAndWithoutAs() {
    assertThat(DmlParser.parse("UPDATE orders o SET a = 1").alias()).contains("o");
    assertThat(DmlParser.parse("UPDATE orders AS o SET a = 1").alias()).contains("o");
    assertThat(DmlParser.parse("UPDATE orders AS \"O x\" SET a = 1").alias()).contains("O x");
    assertThat(DmlParser.parse("UPDATE orders SET a = 1").alias()).isEmpty();
  }

  @Test
  void setValuesMayHoldCommasInsideCallsBracketsAndBraces() {
    DmlStatement statement =
        DmlParser.parse(
            "UPDATE t SET a = coalesce(x, y, z), b = [1, 2][1], c = {'k': 1, 'l': 2},"
                + " d = CASE WHEN p THEN 1 ELSE 2 END, e = x IS DISTINCT FROM y");
    assertThat(statement.setColumns()).containsExactly("a", "b", "c", "d", "e");
    assertThat(statement.where()).isEmpty();
    assertThat(statement.updateFrom()).isFalse();
  }

  @Test
  void readsTupleAssignmentInSet() {
    DmlStatement statement = DmlParser.parse("UPDATE t SET (a, \"B\") = (1, 2), c = 3 WHERE d");
    assertThat(statement.setColumns()).containsExactly("a", "B", "c");
    assertThat(where(statement)).isEqualTo("d");
  }

  @Test
  void readsUpdateFrom() {
    DmlStatement statement =
        DmlParser.parse(
            "UPDATE orders SET qty = p.qty FROM prices p JOIN x ON p.id = x.id WHERE orders.id ="
                + " p.id");
    assertThat(statement.updateFrom()).isTrue();
    assertThat(where(statement)).isEqualTo("orders.id = p.id");
    assertThat(statement.hasSubquery()).isFalse();
  }

  @Test
  void readsDeleteWithAliasUsingWhereAndReturning() {
    DmlStatement statement =
        DmlParser.parse("DELETE FROM main.orders AS o USING other p WHERE o.id = p.id RETURNING *");
    assertThat(statement.kind()).isEqualTo(DmlKind.DELETE);
    assertThat(statement.target().parts()).containsExactly("main", "orders");
    assertThat(statement.alias()).contains("o");
    assertThat(statement.deleteUsing()).isTrue();
    assertThat(where(statement)).isEqualTo("o.id = p.id");
    assertThat(statement.text(statement.returning().orElseThrow())).isEqualTo("RETURNING *");
    assertThat(statement.setColumns()).isEmpty();
  }

  @Test
  void readsDeleteWithoutWhere() {
    DmlStatement statement = DmlParser.parse("delete from t");
    assertThat(statement.where()).isEmpty();
    assertThat(statement.alias()).isEmpty();
    assertThat(statement.deleteUsing()).isFalse();
    assertThat(statement.hasReturning()).isFalse();
    assertThat(DmlParser.parse("DELETE FROM t x").alias()).contains("x");
  }

  @Test
  void readsInsertValuesWithColumnList() {
    DmlStatement statement = DmlParser.parse("INSERT INTO t (a, \"B c\") VALUES (1, 'x'), (?, ?)");
    assertThat(statement.kind()).isEqualTo(DmlKind.INSERT);
    assertThat(statement.target().parts()).containsExactly("t");
    assertThat(statement.insertColumns()).containsExactly("a", "B c");
    assertThat(statement.insertSource()).contains(InsertSource.VALUES);
    assertThat(statement.where()).isEmpty();
    assertThat(statement.onConflict()).isFalse();
    assertThat(statement.parameters()).hasSize(2);
  }

  @Test
  void readsInsertSources() {
    assertThat(DmlParser.parse("INSERT INTO t SELECT * FROM s").insertSource())
        .contains(InsertSource.SELECT);
    assertThat(DmlParser.parse("INSERT INTO t FROM s SELECT a").insertSource())
        .contains(InsertSource.SELECT);
    assertThat(
            DmlParser.parse("INSERT INTO t (a) WITH x AS (SELECT 1) SELECT * FROM x")
                .insertSource())
        .contains(InsertSource.SELECT);
    assertThat(DmlParser.parse("INSERT INTO t TABLE s").insertSource())
        .contains(InsertSource.SELECT);
    assertThat(DmlParser.parse("INSERT INTO t ((SELECT 1))").insertSource())
        .contains(InsertSource.SELECT);
    assertThat(DmlParser.parse("INSERT INTO t (VALUES (1))").insertSource())
        .contains(InsertSource.VALUES);
    assertThat(DmlParser.parse("INSERT INTO t DEFAULT VALUES").insertSource())
        .contains(InsertSource.DEFAULT_VALUES);
    DmlStatement union = DmlParser.parse("INSERT INTO t (SELECT 1) UNION (SELECT 2)");
    assertThat(union.insertSource()).contains(InsertSource.SELECT);
    assertThat(union.insertColumns()).isEmpty();
    // parenthesized branches of a set operation count as nested queries
    assertThat(union.hasSubquery()).isTrue();
  }

  @Test
  void aParenthesizedQueryAfterTheTargetIsNotAColumnList() {
    DmlStatement statement = DmlParser.parse("INSERT INTO t (SELECT a FROM s)");
    assertThat(statement.insertColumns()).isEmpty();
    assertThat(statement.insertSource()).contains(InsertSource.SELECT);
    assertThat(statement.hasSubquery()).isFalse();
  }

  @Test
  void readsInsertAliasByNameAndConflictClauses() {
    DmlStatement statement =
        DmlParser.parse(
            "INSERT INTO t AS x (id, qty) BY NAME SELECT 1 AS id, 2 AS qty"
                + " ON CONFLICT (id) DO UPDATE SET qty = x.qty + excluded.qty WHERE x.qty > 0"
                + " RETURNING x.qty");
    assertThat(statement.alias()).contains("x");
    assertThat(statement.insertColumns()).containsExactly("id", "qty");
    assertThat(statement.onConflict()).isTrue();
    assertThat(statement.text(statement.returning().orElseThrow())).isEqualTo("RETURNING x.qty");
    assertThat(statement.where()).isEmpty();
    assertThat(statement.setColumns()).isEmpty();
    assertThat(statement.functionCalls()).isEmpty();
  }

  @Test
  void insertOrReplaceAndOrIgnoreCountAsConflictHandling() {
    assertThat(DmlParser.parse("INSERT OR REPLACE INTO t VALUES (1)").onConflict()).isTrue();
    assertThat(DmlParser.parse("insert or ignore into t values (1)").onConflict()).isTrue();
    assertThat(DmlParser.parse("INSERT INTO t BY POSITION VALUES (1)").onConflict()).isFalse();
  }

  @Test
  void acceptsOddButLegalSpacingCaseAndComments() {
    String sql =
        "  /* lead */ uPdAtE/*x*/\"Shop\" . \"Or\"\"ders\"--c\n\tAs\n o SET\"a\"=1,b\n=\n2"
            + " wHeRe(o.a=1)--tail\n;  -- after";
    DmlStatement statement = DmlParser.parse(sql);
    assertThat(statement.target().parts()).containsExactly("Shop", "Or\"ders");
    assertThat(statement.text(statement.target().span())).isEqualTo("\"Shop\" . \"Or\"\"ders\"");
    assertThat(statement.alias()).contains("o");
    assertThat(statement.setColumns()).containsExactly("a", "b");
    assertThat(where(statement)).isEqualTo("(o.a=1)");
  }

  @Test
  void aSemicolonInsideAStringIsNotASecondStatement() {
    DmlStatement statement = DmlParser.parse("UPDATE t SET a = ';DROP TABLE x; --' WHERE b = '/*'");
    assertThat(statement.setColumns()).containsExactly("a");
    assertThat(where(statement)).isEqualTo("b = '/*'");
    assertThat(statement.parameters()).isEmpty();
  }

  @Test
  void whereStopsAtReturningButNotAtNestedKeywords() {
    DmlStatement statement =
        DmlParser.parse(
            "DELETE FROM t WHERE a IN (SELECT b FROM u WHERE c RETURNING_NOT) RETURNING a");
    assertThat(where(statement)).isEqualTo("a IN (SELECT b FROM u WHERE c RETURNING_NOT)");
    assertThat(statement.hasSubquery()).isTrue();
  }

  @Test
  void exposesParameterSpansInOrder() {
    DmlStatement statement = DmlParser.parse("UPDATE t SET a = ? WHERE b = ? AND c = '?'");
    assertThat(statement.parameterSpans()).containsExactly(new Span(17, 18), new Span(29, 30));
  }
}
