package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.icecap.txn.sql.SimplePredicate.Operator;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionPredicatesTest {
  private static List<SimplePredicate> predicates(String sql) {
    return PartitionPredicates.conjuncts(DmlParser.parse(sql));
  }

  /** Renders a predicate as "column OPERATOR operand|operand". */
  private static String render(SimplePredicate predicate) {
    List<String> operands =
        predicate.operands().stream().map(SimplePredicate.Operand::text).toList();
    return (predicate.column() + " " + predicate.operator() + " " + String.join("|", operands))
        .trim();
  }

  private static List<String> rendered(String sql) {
    return predicates(sql).stream().map(PartitionPredicatesTest::render).toList();
  }

  @Test
  void findsEverySimpleShape() {
    assertThat(
            rendered(
                "DELETE FROM t WHERE a = 1 AND b <> 'x' AND c != -2.5 AND d < ? AND e <= ?"
                    + " AND f > TRUE AND g >= FALSE AND h IN (1, ?, 'z') AND i BETWEEN 1 AND 10"
                    + " AND j IS NULL AND k IS NOT NULL AND l ISNULL AND m NOTNULL AND n == 4"))
        .containsExactly(
            "a EQUAL 1",
            "b NOT_EQUAL 'x'",
            "c NOT_EQUAL -2.5",
            "d LESS_THAN ?",
            "e LESS_THAN_OR_EQUAL ?",
            "f GREATER_THAN TRUE",
            "g GREATER_THAN_OR_EQUAL FALSE",
            "h IN 1|?|'z'",
            "i BETWEEN 1|10",
            "j IS_NULL",
            "k IS_NOT_NULL",
            "l IS_NULL",
            "m IS_NOT_NULL",
            "n EQUAL 4");
  }

  @Test
  void normalizesALiteralOnTheLeft() {
    assertThat(
            rendered(
                "DELETE FROM t WHERE 5 < a AND 6 <= b AND 7 > c AND 8 >= d AND 9 = e AND 'x' <> f"
                    + " AND DATE '2024-01-01' = g"))
        .containsExactly(
            "a GREATER_THAN 5",
            "b GREATER_THAN_OR_EQUAL 6",
            "c LESS_THAN 7",
            "d LESS_THAN_OR_EQUAL 8",
            "e EQUAL 9",
            "f NOT_EQUAL 'x'",
            "g EQUAL DATE '2024-01-01'");
  }

  @Test
  void acceptsTypedLiteralsAndCastsAsOperands() {
    assertThat(
            rendered(
                "DELETE FROM t WHERE a = DATE '2024-01-01' AND b >= TIMESTAMP WITH TIME ZONE '2024-01-01"
                    + " 00:00:00+00' AND c = ?::DATE AND d = '1'::DECIMAL(10, 2)::VARCHAR"
                    + " AND e = CAST(? AS INT) AND f IN (CAST('1' AS BIGINT), '2'::INT[])"
                    + " AND g = - 3 AND h = +4e2 AND i = E'x\\'y'"))
        .containsExactly(
            "a EQUAL DATE '2024-01-01'",
            "b GREATER_THAN_OR_EQUAL TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00'",
            "c EQUAL ?::DATE",
            "d EQUAL '1'::DECIMAL(10, 2)::VARCHAR",
            "e EQUAL CAST(? AS INT)",
            "f IN CAST('1' AS BIGINT)|'2'::INT[]",
            "g EQUAL - 3",
            "h EQUAL +4e2",
            "i EQUAL E'x\\'y'");
  }

  @Test
  void reportsOperandSpansAndParameterIndexes() {
    DmlStatement statement =
        DmlParser.parse("UPDATE t SET a = ? WHERE b IN (?, 'x') AND c = CAST(? AS INT)");
    List<SimplePredicate> predicates = PartitionPredicates.conjuncts(statement);
    assertThat(predicates).hasSize(2);
    assertThat(predicates.get(0).operands())
        .extracting(SimplePredicate.Operand::parameterIndex)
        .containsExactly(OptionalInt.of(1), OptionalInt.empty());
    SimplePredicate.Operand cast = predicates.get(1).operands().get(0);
    assertThat(cast.parameterIndex()).isEqualTo(OptionalInt.of(2));
    assertThat(statement.text(cast.span())).isEqualTo("CAST(? AS INT)");
    assertThat(statement.text(predicates.get(1).span())).isEqualTo("c = CAST(? AS INT)");
  }

  @Test
  void betweenAndIsNotAConjunctSeparator() {
    assertThat(
            rendered(
                "DELETE FROM t WHERE a BETWEEN 1 AND 5 AND b = 2 AND c NOT BETWEEN 3 AND 4 AND d = 5"))
        .containsExactly("a BETWEEN 1|5", "b EQUAL 2", "d EQUAL 5");
  }

  @Test
  void anyTopLevelOrMeansNoPredicates() {
    assertThat(predicates("DELETE FROM t WHERE a = 1 OR b = 2")).isEmpty();
    assertThat(predicates("DELETE FROM t WHERE a = 1 AND b = 2 OR c = 3")).isEmpty();
    assertThat(predicates("DELETE FROM t WHERE (a = 1 AND b = 2) OR c = 3")).isEmpty();
    assertThat(predicates("DELETE FROM t WHERE (a = 1 OR b = 2)")).isEmpty();
  }

  @Test
  void anOrInsideParenthesesOnlyDropsThatConjunct() {
    assertThat(rendered("DELETE FROM t WHERE a = 1 AND (b = 2 OR c = 3) AND d = 4"))
        .containsExactly("a EQUAL 1", "d EQUAL 4");
  }

  @Test
  void splitsConjunctsInsideRedundantParentheses() {
    assertThat(rendered("DELETE FROM t WHERE ((a = 1 AND (b = 2))) AND c IS NULL"))
        .containsExactly("a EQUAL 1", "b EQUAL 2", "c IS_NULL");
  }

  @Test
  void andAndOrInsideCaseDoNotSplit() {
    assertThat(
            rendered(
                "DELETE FROM t WHERE a = 1 AND CASE WHEN b = 1 OR c = 2 THEN d = 1 AND e = 2 END"
                    + " AND f = 3"))
        .containsExactly("a EQUAL 1", "f EQUAL 3");
  }

  @Test
  void stripsTheTargetOrAliasQualifier() {
    assertThat(
            rendered(
                "DELETE FROM shop.orders WHERE orders.a = 1 AND shop.orders.b = 2 AND \"ORDERS\".c = 3"))
        .containsExactly("a EQUAL 1", "b EQUAL 2", "c EQUAL 3");
    assertThat(
            rendered(
                "DELETE FROM shop.orders AS o WHERE o.a = 1 AND orders.b = 2 AND p.c = 3 AND x.o.d"
                    + " = 4"))
        .containsExactly("a EQUAL 1");
    assertThat(
            rendered(
                "UPDATE orders SET x = 1 FROM p WHERE p.a = 1 AND other.orders.b = 2 AND \"Weird Col\" = 3"))
        .containsExactly("Weird Col EQUAL 3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NOT a = 1",
        "a NOT IN (1, 2)",
        "a = b",
        "a = 1 + 2",
        "a = now()",
        "a = current_date",
        "current_date = a",
        "a = (1)",
        "a IN (SELECT 1)",
        "a IN (1, b)",
        "a IN (1) + 1",
        "a = ?::INT + 1",
        "a = '1'::DECIMAL(?, 2)",
        "a = CAST(b AS INT)",
        "a = CAST(1 AS INT) + 1",
        "a = CAST(1)",
        "a LIKE 'x%'",
        "a",
        "a IS TRUE",
        "a BETWEEN 1 AND b",
        "a BETWEEN b AND 1",
        "1 = 1",
        "f(a) = 1",
        "a = NULL",
        "(a, b) = (1, 2)",
        "TRUE = a = 1",
        "a = 1 = TRUE",
        "a = 'x' 'y'",
        "NOT flag",
        "EXISTS (SELECT 1)",
        "a || 'x' = 'ax'",
        "a + 1 = 2",
        "a IS NOT TRUE",
        "a IS DISTINCT FROM 1",
        "a ISNULL 1",
        "a IN ()",
        "a IN 1",
        "a BETWEEN 1",
        "a. = 1",
        "a =",
        "a = -b",
        "a = CAST",
        "a = CAST(1 AS 2)",
        "a = '1'::DECIMAL(1 + 1)",
        "a = 1 AND AND b = 2 OR c = 3",
      })
  void ignoresOtherShapes(String condition) {
    assertThat(predicates("DELETE FROM t WHERE " + condition)).isEmpty();
  }

  @Test
  void acceptsQualifiedTypeNamesAndToleratesEmptyConjuncts() {
    assertThat(rendered("DELETE FROM t WHERE a = 'happy'::main.mood AND () AND b = 1"))
        .containsExactly("a EQUAL 'happy'::main.mood", "b EQUAL 1");
  }

  @Test
  void noWhereMeansNoPredicates() {
    assertThat(predicates("DELETE FROM t")).isEmpty();
    assertThat(predicates("INSERT INTO t VALUES (1)")).isEmpty();
  }

  @Test
  void quotedColumnsKeepTheirCase() {
    assertThat(predicates("DELETE FROM t WHERE \"Day\" = DATE '2024-01-01'"))
        .extracting(SimplePredicate::column, SimplePredicate::operator)
        .containsExactly(tuple("Day", Operator.EQUAL));
  }
}
