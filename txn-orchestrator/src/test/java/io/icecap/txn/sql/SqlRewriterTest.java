package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.txn.sql.SqlRewriter.Replacement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlRewriterTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "UPDATE shop.orders SET qty = orders.qty + 1|UPDATE rows AS \"orders\" SET qty = orders.qty + 1",
        "UPDATE orders o SET qty = o.qty + 1|UPDATE rows o SET qty = o.qty + 1",
        "UPDATE orders AS o SET qty = 1|UPDATE rows AS o SET qty = 1",
        "update \"Shop\".\"My \"\"Orders\"\"\" set a = 1|update rows AS \"My \"\"Orders\"\"\" set a = 1",
        "DELETE FROM shop.orders WHERE orders.id = 1|DELETE FROM rows AS \"orders\" WHERE orders.id = 1",
        "DELETE FROM orders AS o WHERE o.id = 1|DELETE FROM rows AS o WHERE o.id = 1",
        "DELETE FROM orders USING p WHERE orders.id = p.id|DELETE FROM rows AS \"orders\" USING p WHERE orders.id = p.id",
        "INSERT INTO shop.orders (id) VALUES (1)|INSERT INTO rows (id) VALUES (1)",
        "INSERT INTO orders(id) VALUES (1)|INSERT INTO rows(id) VALUES (1)",
        "INSERT INTO orders AS o VALUES (1)|INSERT INTO rows AS o VALUES (1)",
        "INSERT INTO orders VALUES (1) ON CONFLICT DO UPDATE SET qty = orders.qty + 1|INSERT INTO rows AS \"orders\" VALUES (1) ON CONFLICT DO UPDATE SET qty = orders.qty + 1",
        "INSERT INTO orders VALUES (1) RETURNING orders.id|INSERT INTO rows AS \"orders\" VALUES (1) RETURNING orders.id",
        "INSERT OR REPLACE INTO orders VALUES (1)|INSERT OR REPLACE INTO rows AS \"orders\" VALUES (1)",
      })
  void retargetsKeepingTheOriginalNameVisibleWhereItCanBeReferenced(String sql, String expected) {
    assertThat(SqlRewriter.retarget(DmlParser.parse(sql), "rows")).isEqualTo(expected);
  }

  @Test
  void retargetLeavesCommentsStringsAndTheTrailingSemicolonAlone() {
    String sql = "UPDATE /* t */ orders SET note = 'orders' -- orders\n WHERE id = ?;";
    assertThat(SqlRewriter.retarget(DmlParser.parse(sql), "\"rows\""))
        .isEqualTo(
            "UPDATE /* t */ \"rows\" AS \"orders\" SET note = 'orders' -- orders\n WHERE id = ?;");
  }

  @Test
  void retargetRefusesABlankTarget() {
    DmlStatement statement = DmlParser.parse("DELETE FROM shop.orders");
    assertThatThrownBy(() -> SqlRewriter.retarget(statement, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot retarget [shop, orders]: the new target name is blank");
  }

  @Test
  void rewritesSpansInAnyOrder() {
    String sql = "UPDATE t SET a = ? WHERE b = ?";
    List<Replacement> replacements =
        List.of(
            new Replacement(new Span(29, 30), "'x'"),
            new Replacement(new Span(17, 18), "42"),
            new Replacement(new Span(0, 0), "/* rewritten */ "));
    assertThat(SqlRewriter.rewrite(sql, replacements))
        .isEqualTo("/* rewritten */ UPDATE t SET a = 42 WHERE b = 'x'");
  }

  @Test
  void rewritesAdjacentSpansAndInsertionsBeforeAReplacement() {
    assertThat(
            SqlRewriter.rewrite(
                "abcdef",
                List.of(
                    new Replacement(new Span(2, 4), "X"),
                    new Replacement(new Span(4, 6), "Y"),
                    new Replacement(new Span(2, 2), "<"))))
        .isEqualTo("ab<XY");
    assertThat(
            SqlRewriter.rewrite(
                "abcdef",
                List.of(
                    new Replacement(new Span(3, 3), ">"), new Replacement(new Span(1, 3), "X"))))
        .isEqualTo("aX>def");
    assertThat(SqlRewriter.rewrite("abc", List.of())).isEqualTo("abc");
  }

  @Test
  void refusesOverlappingSpans() {
    assertThatThrownBy(
            () ->
                SqlRewriter.rewrite(
                    "abcdef",
                    List.of(
                        new Replacement(new Span(1, 4), "X"),
                        new Replacement(new Span(3, 5), "Y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot replace Span[start=1, end=4] and Span[start=3, end=5]: the spans overlap;"
                + " merge them into one replacement");
    assertThatThrownBy(
            () ->
                SqlRewriter.rewrite(
                    "abc",
                    List.of(
                        new Replacement(new Span(1, 1), "X"),
                        new Replacement(new Span(1, 1), "Y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the spans overlap");
  }

  @Test
  void refusesSpansOutsideTheText() {
    assertThatThrownBy(
            () -> SqlRewriter.rewrite("abc", List.of(new Replacement(new Span(2, 4), "X"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot replace Span[start=2, end=4]: it ends past the SQL text of 3 characters");
    assertThatThrownBy(() -> new Span(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid span [3, 2): need 0 <= start <= end");
  }

  @Test
  void quotesIdentifiersForDuckDb() {
    assertThat(SqlRewriter.quoteIdentifier("orders")).isEqualTo("\"orders\"");
    assertThat(SqlRewriter.quoteIdentifier("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(SqlRewriter.quoteIdentifier("x.y z")).isEqualTo("\"x.y z\"");
    assertThat(SqlLexer.tokenize(SqlRewriter.quoteIdentifier("we\"ird\"\"")).get(0).value())
        .isEqualTo("we\"ird\"\"");
    assertThatThrownBy(() -> SqlRewriter.quoteIdentifier(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot quote an empty identifier: DuckDB rejects zero-length quoted names");
  }

  @Test
  void spanHelpers() {
    Span span = new Span(2, 5);
    assertThat(span.length()).isEqualTo(3);
    assertThat(span.text("abcdefg")).isEqualTo("cde");
    assertThat(span.overlaps(new Span(4, 9))).isTrue();
    assertThat(span.overlaps(new Span(5, 9))).isFalse();
    assertThat(span.contains(new Span(3, 5))).isTrue();
    assertThat(span.contains(new Span(1, 3))).isFalse();
  }
}
