package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the structure of one DuckDB INSERT, UPDATE or DELETE: its target, clauses, parameters and
 * function calls. Expressions stay text spans; this is not a full SQL parser, and text it accepts
 * may still be refused by DuckDB.
 */
public final class DmlParser {
  private static final Set<String> QUERY_STARTS =
      Set.of("SELECT", "WITH", "FROM", "TABLE", "VALUES");

  private final String sql;
  private final TokenCursor cursor;
  private final SkeletonReader reader;
  private final BitSet sourceTopLevel = new BitSet();
  private final List<String> setColumns = new ArrayList<>();
  private List<String> insertColumns = List.of();
  private DmlKind kind;
  private TableName target;
  private String alias;
  private Span where;
  private InsertSource insertSource;
  private Span sourceQuery;
  private Span returning;
  private boolean updateFrom;
  private boolean deleteUsing;
  private boolean onConflict;

  private DmlParser(String sql, TokenCursor cursor) {
    this.sql = sql;
    this.cursor = cursor;
    this.reader = new SkeletonReader(cursor);
  }

  /**
   * Reads the structure of {@code sql}, which must hold exactly one INSERT, UPDATE or DELETE,
   * optionally followed by one {@code ;}.
   *
   * @throws SqlSyntaxException when the text is empty, has an unterminated literal or comment,
   *     unbalanced brackets, or does not have the shape of an INSERT, UPDATE or DELETE
   * @throws UnsupportedStatementException when the text is another kind of statement, holds more
   *     than one statement, starts with WITH, or uses named or mixed parameter styles
   */
  public static DmlStatement parse(String sql) {
    requireNonNull(sql, "sql is null");
    List<Token> tokens = StatementGuard.singleWrite(sql, SqlLexer.tokenize(sql));
    return new DmlParser(sql, TokenCursor.over(tokens)).parseStatement();
  }

  private DmlStatement parseStatement() {
    String clauses;
    if (cursor.peekKeyword("INSERT")) {
      parseInsert();
      clauses = "ON CONFLICT, RETURNING";
    } else if (cursor.peekKeyword("UPDATE")) {
      parseUpdate();
      clauses = "FROM, WHERE, RETURNING";
    } else {
      parseDelete();
      clauses = "USING, WHERE, RETURNING";
    }
    if (cursor.peekKeyword("RETURNING")) {
      int start = reader.consume();
      reader.skipNonEmpty(i -> false, "a column list after RETURNING");
      returning = cursor.span(start, cursor.position());
    }
    if (!cursor.atEnd()) {
      throw cursor.expected(clauses + " or the end of the statement");
    }
    ExpressionScanner.Result scan =
        ExpressionScanner.scan(cursor, reader.structural(), sourceTopLevel);
    return new DmlStatement(
        sql,
        kind,
        target,
        Optional.ofNullable(alias),
        setColumns,
        Optional.ofNullable(where),
        insertColumns,
        Optional.ofNullable(insertSource),
        Optional.ofNullable(sourceQuery),
        ExpressionScanner.parameters(cursor.tokens()),
        scan.functionCalls(),
        scan.hasSubquery(),
        Optional.ofNullable(returning),
        updateFrom,
        deleteUsing,
        onConflict);
  }

  private void parseUpdate() {
    kind = DmlKind.UPDATE;
    reader.consume();
    target = reader.tableName("a table name after UPDATE");
    alias = reader.optionalAlias();
    reader.expectKeyword("SET", "after the table name of the UPDATE");
    do {
      if (cursor.peekPunctuation('(')) {
        setColumns.addAll(reader.columnList("SET column list"));
      } else {
        setColumns.add(reader.columnName("a column name in SET"));
      }
      if (cursor.atEnd() || !cursor.peek().isOperator("=")) {
        throw cursor.expected("'=' after the column name in SET");
      }
      reader.consume();
      reader.skipNonEmpty(
          i ->
              cursor.tokens().get(i).isPunctuation(',')
                  || reader.isClause(i, "FROM", "WHERE", "RETURNING"),
          "a value after '=' in SET");
    } while (reader.acceptComma());
    if (reader.acceptKeyword("FROM")) {
      updateFrom = true;
      reader.skipNonEmpty(i -> reader.isClause(i, "WHERE", "RETURNING"), "a table after FROM");
    }
    parseWhere();
  }

  private void parseDelete() {
    kind = DmlKind.DELETE;
    reader.consume();
    reader.expectKeyword("FROM", "after DELETE (DuckDB writes DELETE FROM <table>)");
    target = reader.tableName("a table name after DELETE FROM");
    alias = reader.optionalAlias();
    if (reader.acceptKeyword("USING")) {
      deleteUsing = true;
      reader.skipNonEmpty(i -> reader.isClause(i, "WHERE", "RETURNING"), "a table after USING");
    }
    parseWhere();
  }

  private void parseWhere() {
    if (reader.acceptKeyword("WHERE")) {
      int start =
          reader.skipNonEmpty(i -> reader.isClause(i, "RETURNING"), "a condition after WHERE");
      where = cursor.span(start, cursor.position());
    }
  }

  private void parseInsert() {
    kind = DmlKind.INSERT;
    reader.consume();
    if (reader.acceptKeyword("OR")) {
      if (!reader.acceptKeyword("REPLACE") && !reader.acceptKeyword("IGNORE")) {
        throw cursor.expected("REPLACE or IGNORE after INSERT OR");
      }
      onConflict = true;
    }
    reader.expectKeyword("INTO", "after INSERT");
    target = reader.tableName("a table name after INSERT INTO");
    if (reader.acceptKeyword("AS")) {
      alias = reader.name("an alias after AS");
    }
    if (cursor.peekPunctuation('(') && !startsQuery(cursor.peek(1))) {
      insertColumns = reader.columnList("INSERT column list");
    }
    if (reader.acceptKeyword("BY")
        && !reader.acceptKeyword("NAME")
        && !reader.acceptKeyword("POSITION")) {
      throw cursor.expected("NAME or POSITION after BY");
    }
    parseInsertSource();
    if (cursor.peekKeyword("ON")
        && cursor.peek(1) != null
        && cursor.peek(1).isKeyword("CONFLICT")) {
      reader.consume();
      reader.consume();
      onConflict = true;
      reader.skipNonEmpty(
          i -> reader.isClause(i, "RETURNING"), "DO NOTHING or DO UPDATE after ON CONFLICT");
    }
  }

  private void parseInsertSource() {
    if (reader.acceptKeyword("DEFAULT")) {
      reader.expectKeyword("VALUES", "after DEFAULT");
      insertSource = InsertSource.DEFAULT_VALUES;
      return;
    }
    if (!startsQuery(cursor.peek())) {
      throw cursor.expected("VALUES, a query or DEFAULT VALUES after the table of the INSERT");
    }
    if (reader.acceptKeyword("VALUES")) {
      insertSource = InsertSource.VALUES;
      reader.skipNonEmpty(this::endsInsertSource, "a row after VALUES");
      return;
    }
    int start = cursor.skipUntil(this::endsInsertSource);
    int end = cursor.position();
    // the query may be wrapped in parentheses: INSERT INTO t (SELECT ...)
    while (start < end
        && cursor.tokens().get(start).isPunctuation('(')
        && cursor.partner(start) == end - 1) {
      start++;
      end--;
    }
    if (start == end) {
      Token empty = cursor.tokens().get(start - 1);
      throw new SqlSyntaxException(
          empty.start(),
          String.format(
              "Expected a query inside the parentheses at character %d, but they are empty",
              empty.start()));
    }
    boolean values = cursor.tokens().get(start).isKeyword("VALUES");
    insertSource = values ? InsertSource.VALUES : InsertSource.SELECT;
    if (!values) {
      sourceQuery = cursor.span(start, end);
    }
    for (int i = start; i < end; i = Math.max(i, cursor.partner(i)) + 1) {
      sourceTopLevel.set(i);
    }
  }

  private boolean endsInsertSource(int index) {
    List<Token> tokens = cursor.tokens();
    return tokens.get(index).isKeyword("RETURNING")
        || (tokens.get(index).isKeyword("ON")
            && index + 1 < tokens.size()
            && tokens.get(index + 1).isKeyword("CONFLICT"));
  }

  private static boolean startsQuery(Token token) {
    return token != null
        && (token.isPunctuation('(')
            || (token.kind() == Token.Kind.IDENTIFIER
                && QUERY_STARTS.contains(token.text().toUpperCase(Locale.ROOT))));
  }
}
