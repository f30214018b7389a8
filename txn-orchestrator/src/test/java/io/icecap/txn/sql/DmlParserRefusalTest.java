package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DmlParserRefusalTest {
  @Test
  void refusesEmptyText() {
    assertThatThrownBy(() -> DmlParser.parse("   \n"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage("Empty statement: the SQL text is blank; submit one INSERT, UPDATE or DELETE");
    assertThatThrownBy(() -> DmlParser.parse("-- just a comment\n/* and another */"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Empty statement: the SQL text holds only comments; submit one INSERT, UPDATE or"
                + " DELETE");
    assertThatThrownBy(() -> DmlParser.parse(" ;"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Empty statement before the ';' at character 1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "SELECT * FROM t|SELECT|0",
        "  create table t (a INT)|create|2",
        "DROP TABLE t|DROP|0",
        "ALTER TABLE t ADD COLUMN b INT|ALTER|0",
        "COPY t TO 'x.csv'|COPY|0",
        "ATTACH 'x.db'|ATTACH|0",
        "PRAGMA version|PRAGMA|0",
        "SET threads = 1|SET|0",
        "CALL f()|CALL|0",
        "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE|MERGE|0",
        "BEGIN|BEGIN|0",
        "COMMIT|COMMIT|0",
        "/* hi */ TRUNCATE t|TRUNCATE|9",
        "(SELECT 1)|'('|0",
        "'UPDATE t SET a = 1'|'UPDATE t SET a = 1'|0",
      })
  void refusesStatementsThatAreNotWrites(String sql, String found, int position) {
    assertThatThrownBy(() -> DmlParser.parse(sql))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessage(
            "Only INSERT, UPDATE and DELETE can be submitted as writes; found "
                + found
                + " at character "
                + position)
        .satisfies(
            e -> assertThat(((UnsupportedStatementException) e).position()).isEqualTo(position));
  }

  @Test
  void aQuotedKeywordIsANameNotAStatement() {
    assertThatThrownBy(() -> DmlParser.parse("\"UPDATE\" t SET a = 1"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessage(
            "Only INSERT, UPDATE and DELETE can be submitted as writes; found \"UPDATE\" at"
                + " character 0");
  }

  @Test
  void refusesALeadingWithClause() {
    assertThatThrownBy(
            () -> DmlParser.parse("WITH x AS (SELECT 1) UPDATE t SET a = 1 WHERE a IN x"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessageStartingWith(
            "A WITH clause before the statement is not supported (found WITH at character 0);"
                + " move the common table expression into a subquery");
  }

  @Test
  void refusesTwoStatements() {
    assertThatThrownBy(() -> DmlParser.parse("DELETE FROM t; DROP TABLE t"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessage(
            "Found more than one statement: another one starts at character 15 after the ';' at"
                + " character 13; submit each write on its own");
    assertThatThrownBy(() -> DmlParser.parse("DELETE FROM t;;"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Empty statement between the ';' at character 13 and the ';' at character 14; remove"
                + " the extra ';'");
  }

  @Test
  void acceptsOneTrailingSemicolonFollowedByComments() {
    assertThat(DmlParser.parse("DELETE FROM t; -- done\n").target().parts()).containsExactly("t");
  }

  @Test
  void refusesUnbalancedParentheses() {
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = f(1 WHERE b = 2"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Unbalanced parentheses: '(' at character 18 is never closed; add the missing ')'");
    assertThatThrownBy(() -> DmlParser.parse("DELETE FROM t WHERE a = 1)"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Unbalanced parentheses: ')' at character 25 has no matching '('; remove it or add"
                + " the opening one");
    assertThatThrownBy(() -> DmlParser.parse("DELETE FROM t WHERE a IN (1, 2]"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Unbalanced brackets: ']' at character 30 does not close the '(' opened at character"
                + " 25");
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = [1, 2 WHERE b"))
        .hasMessage(
            "Unbalanced brackets: '[' at character 17 is never closed; add the missing ']'");
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = {'k': 1 WHERE b"))
        .hasMessageStartingWith("Unbalanced braces: '{' at character 17 is never closed");
  }

  @Test
  void passesLexerErrorsOn() {
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = 'x WHERE b = 1"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unterminated string literal starting at character 17");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "UPDATE|Expected a table name after UPDATE at character 6, but the statement ends",
        "UPDATE SET a = 1|Expected a table name after UPDATE at character 7, found SET",
        "UPDATE t WHERE a = 1|Expected SET after the table name of the UPDATE at character 9, found WHERE",
        "UPDATE t SET|Expected a column name in SET at character 12, but the statement ends",
        "UPDATE t SET a|Expected '=' after the column name in SET at character 14, but the statement ends",
        "UPDATE t SET a 1|Expected '=' after the column name in SET at character 15, found '1'",
        "UPDATE t SET a = WHERE b|Expected a value after '=' in SET at character 17, found WHERE",
        "UPDATE t SET a = 1,|Expected a column name in SET at character 19, but the statement ends",
        "UPDATE t SET (a b) = (1, 2)|Expected ',' or ')' in the SET column list at character 16, found b",
        "UPDATE t SET a = 1 FROM WHERE b|Expected a table after FROM at character 24, found WHERE",
        "UPDATE t SET a = 1 WHERE|Expected a condition after WHERE at character 24, but the statement ends",
        "UPDATE t SET a = 1 RETURNING|Expected a column list after RETURNING at character 28, but the statement ends",
        "UPDATE t. SET a = 1|Expected a name part after '.' in the table name at character 10, found SET",
        "DELETE t WHERE a = 1|Expected FROM after DELETE (DuckDB writes DELETE FROM <table>) at character 7, found t",
        "DELETE FROM t a b|Expected USING, WHERE, RETURNING or the end of the statement at character 16, found b",
        "DELETE FROM t USING WHERE a|Expected a table after USING at character 20, found WHERE",
        "INSERT t VALUES (1)|Expected INTO after INSERT at character 7, found t",
        "INSERT OR UPDATE INTO t VALUES (1)|Expected REPLACE or IGNORE after INSERT OR at character 10, found UPDATE",
        "INSERT INTO t|Expected VALUES, a query or DEFAULT VALUES after the table of the INSERT at character 13, but the statement ends",
        "INSERT INTO t x VALUES (1)|Expected VALUES, a query or DEFAULT VALUES after the table of the INSERT at character 14, found x",
        "INSERT INTO t VALUES|Expected a row after VALUES at character 20, but the statement ends",
        "INSERT INTO t DEFAULT (1)|Expected VALUES after DEFAULT at character 22, found '('",
        "INSERT INTO t DEFAULT VALUES x|Expected ON CONFLICT, RETURNING or the end of the statement at character 29, found x",
        "INSERT INTO t DEFAULT VALUES ON x|Expected ON CONFLICT, RETURNING or the end of the statement at character 29, found ON",
        "INSERT INTO t DEFAULT VALUES ON|Expected ON CONFLICT, RETURNING or the end of the statement at character 29, found ON",
        "INSERT INTO t BY (1)|Expected NAME or POSITION after BY at character 17, found '('",
        "INSERT INTO t () VALUES (1)|Expected a column name in the INSERT column list at character 15, found ')'",
        "INSERT INTO t AS VALUES (1)|Expected an alias after AS at character 17, found VALUES",
        "INSERT INTO t VALUES (1) ON CONFLICT|Expected DO NOTHING or DO UPDATE after ON CONFLICT at character 36, but the statement ends",
        "INSERT INTO t (())|Expected a query inside the parentheses at character 15, but they are empty",
      })
  void refusesMalformedStatementsSayingWhatWasExpected(String sql, String message) {
    assertThatThrownBy(() -> DmlParser.parse(sql))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void refusesQualifiedColumnsWhereDuckDbDoes() {
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET t.a = 1"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Qualified column name at character 13 is not supported by DuckDB here; write the"
                + " bare column name t");
  }

  @Test
  void refusesMixedParameterStyles() {
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = ? WHERE b = $1"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessage(
            "Cannot mix positional and numbered parameters: ? at character 17 and $1 at character"
                + " 29; use one style throughout the statement")
        .satisfies(e -> assertThat(((UnsupportedStatementException) e).position()).isEqualTo(29));
    assertThatThrownBy(() -> DmlParser.parse("UPDATE t SET a = ?1 WHERE b = ?"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessageStartingWith(
            "Cannot mix positional and numbered parameters: ? at character 30 and ?1 at"
                + " character 17");
  }

  @ParameterizedTest
  @ValueSource(strings = {"DELETE FROM t WHERE a = $0", "DELETE FROM t WHERE a = $99999999999"})
  void refusesParameterNumbersOutOfRange(String sql) {
    assertThatThrownBy(() -> DmlParser.parse(sql))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessageContaining("at character 24 is out of range; numbered parameters run from $1");
  }

  @Test
  void refusesNamedParameters() {
    assertThatThrownBy(() -> DmlParser.parse("DELETE FROM t WHERE a = $id"))
        .isInstanceOf(UnsupportedStatementException.class)
        .hasMessage(
            "Named parameter $id at character 24 is not supported; use ? or $1, $2, ... and pass"
                + " the values in order");
  }
}
