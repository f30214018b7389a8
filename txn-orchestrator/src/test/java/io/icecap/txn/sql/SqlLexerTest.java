package io.icecap.txn.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {
  private static List<String> texts(String sql) {
    return SqlLexer.tokenize(sql).stream().map(Token::text).toList();
  }

  private static Token only(String sql) {
    List<Token> tokens = SqlLexer.tokenize(sql);
    assertThat(tokens).hasSize(1);
    return tokens.get(0);
  }

  @Test
  void tokenizesKindsWithOffsetsIntoTheOriginalText() {
    assertThat(SqlLexer.tokenize("UPDATE t SET a = 'x', \"B\" = 1.5 WHERE c = ?;"))
        .extracting(Token::kind, Token::text, Token::start, Token::end)
        .containsExactly(
            tuple(Token.Kind.IDENTIFIER, "UPDATE", 0, 6),
            tuple(Token.Kind.IDENTIFIER, "t", 7, 8),
            tuple(Token.Kind.IDENTIFIER, "SET", 9, 12),
            tuple(Token.Kind.IDENTIFIER, "a", 13, 14),
            tuple(Token.Kind.OPERATOR, "=", 15, 16),
            tuple(Token.Kind.STRING, "'x'", 17, 20),
            tuple(Token.Kind.PUNCTUATION, ",", 20, 21),
            tuple(Token.Kind.QUOTED_IDENTIFIER, "\"B\"", 22, 25),
            tuple(Token.Kind.OPERATOR, "=", 26, 27),
            tuple(Token.Kind.NUMBER, "1.5", 28, 31),
            tuple(Token.Kind.IDENTIFIER, "WHERE", 32, 37),
            tuple(Token.Kind.IDENTIFIER, "c", 38, 39),
            tuple(Token.Kind.OPERATOR, "=", 40, 41),
            tuple(Token.Kind.PARAMETER, "?", 42, 43),
            tuple(Token.Kind.PUNCTUATION, ";", 43, 44));
  }

  @Test
  void keywordsCompareCaseInsensitivelyButOnlyWhenUnquoted() {
    List<Token> tokens = SqlLexer.tokenize("sElEcT \"select\"");
    assertThat(tokens.get(0).isKeyword("SELECT")).isTrue();
    assertThat(tokens.get(1).isKeyword("SELECT")).isFalse();
    assertThat(tokens.get(1).value()).isEqualTo("select");
  }

  @Test
  void skipsLineAndNestedBlockComments() {
    assertThat(texts("a -- one ? ; 'x\n b /* two /* nested */ still comment */ c /**/d--end"))
        .containsExactly("a", "b", "c", "d");
    assertThat(texts("a --x\r\nb")).containsExactly("a", "b");
    assertThat(texts("a\f\u000Bb\t")).containsExactly("a", "b");
  }

  @Test
  void onlyCommentsGiveNoTokens() {
    assertThat(SqlLexer.tokenize("  -- nothing\n/* here */  ")).isEmpty();
    assertThat(SqlLexer.tokenize("")).isEmpty();
  }

  @Test
  void stringsHideParametersCommentsAndSemicolons() {
    Token token = only("'? -- ; /* $1 \"x'");
    assertThat(token.kind()).isEqualTo(Token.Kind.STRING);
    assertThat(token.value()).isEqualTo("? -- ; /* $1 \"x");
  }

  @Test
  void doubledQuotesStayInsideStringsAndBackslashIsLiteral() {
    assertThat(only("'it''s'").value()).isEqualTo("it's");
    assertThat(only("'a\\'").value()).isEqualTo("a\\");
    assertThat(only("''").value()).isEmpty();
  }

  @Test
  void escapeStringsDecodeBackslashSequences() {
    Token token = only("E'it\\'s\\n\\t\\\\ \\x41\\101 \\q'");
    assertThat(token.text()).startsWith("E'");
    assertThat(token.value()).isEqualTo("it's\n\t\\ AA q");
    assertThat(only("e'a''b \\b\\f\\r \\xZ'").value()).isEqualTo("a'b \b\f\r xZ");
    // at most two hex and three octal digits belong to an escape
    assertThat(only("E'\\x414\\1234'").value()).isEqualTo("A4S4");
  }

  @Test
  void prefixedStringsKeepTheirPrefixInTheText() {
    assertThat(SqlLexer.tokenize("X'41' b'101' N'abc'"))
        .extracting(Token::kind, Token::text, Token::value)
        .containsExactly(
            tuple(Token.Kind.STRING, "X'41'", "41"),
            tuple(Token.Kind.STRING, "b'101'", "101"),
            tuple(Token.Kind.STRING, "N'abc'", "abc"));
  }

  @Test
  void adjacentStringsSeparatedByALineBreakAreOneLiteral() {
    Token token = only("'a'\n  'b' -- c\n 'c'");
    assertThat(token.value()).isEqualTo("abc");
    assertThat(token.end()).isEqualTo(19);
    assertThat(texts("'a' 'b'")).containsExactly("'a'", "'b'");
    assertThat(only("'a'\r'b'").value()).isEqualTo("ab");
  }

  @Test
  void dollarQuotedStringsAreOpaque() {
    assertThat(only("$$it's -- ? ;$$").value()).isEqualTo("it's -- ? ;");
    assertThat(only("$tag$a $other$ b $$ c$tag$").value()).isEqualTo("a $other$ b $$ c");
    assertThat(only("$$$$").value()).isEmpty();
  }

  @Test
  void quotedIdentifiersUndoubleQuotesAndKeepDotsAndCase() {
    Token token = only("\"My \"\"odd\"\".Table\"");
    assertThat(token.kind()).isEqualTo(Token.Kind.QUOTED_IDENTIFIER);
    assertThat(token.value()).isEqualTo("My \"odd\".Table");
  }

  @Test
  void numbersFollowDuckDbRules() {
    assertThat(SqlLexer.tokenize("1_000 1_000.5 .5 1.e2 1e-3 1E+5 1.5e3"))
        .extracting(Token::kind, Token::value)
        .containsExactly(
            tuple(Token.Kind.NUMBER, "1000"),
            tuple(Token.Kind.NUMBER, "1000.5"),
            tuple(Token.Kind.NUMBER, ".5"),
            tuple(Token.Kind.NUMBER, "1.e2"),
            tuple(Token.Kind.NUMBER, "1e-3"),
            tuple(Token.Kind.NUMBER, "1E+5"),
            tuple(Token.Kind.NUMBER, "1.5e3"));
    // DuckDB reads each of these as the number 1 followed by another token
    assertThat(texts("1__000")).containsExactly("1", "__000");
    assertThat(texts("1_")).containsExactly("1", "_");
    assertThat(texts("1e")).containsExactly("1", "e");
    assertThat(texts("1a")).containsExactly("1", "a");
    assertThat(texts("1AND 2")).containsExactly("1", "AND", "2");
    assertThat(texts("1..10")).containsExactly("1", "..", "10");
    assertThat(texts("0x1F")).containsExactly("0", "x1F");
  }

  @Test
  void parametersArePositionalNumberedOrNamed() {
    assertThat(SqlLexer.tokenize("? ?12 $3 $name"))
        .extracting(Token::kind, Token::text)
        .containsExactly(
            tuple(Token.Kind.PARAMETER, "?"),
            tuple(Token.Kind.PARAMETER, "?12"),
            tuple(Token.Kind.PARAMETER, "$3"),
            tuple(Token.Kind.PARAMETER, "$name"));
    assertThat(texts("a=?")).containsExactly("a", "=", "?");
    assertThat(texts("$name,$2")).containsExactly("$name", ",", "$2");
  }

  @Test
  void operatorsFollowDuckDbRules() {
    assertThat(texts("a::INT <= >= <> != || -> ->> ** // == !~~ ^@ :="))
        .containsExactly(
            "a", "::", "INT", "<=", ">=", "<>", "!=", "||", "->", "->>", "**", "//", "==", "!~~",
            "^@", ":=");
    // a trailing sign splits off unless the operator holds a character SQL operators do not
    assertThat(texts("a=-1")).containsExactly("a", "=", "-", "1");
    assertThat(texts("a<>-1")).containsExactly("a", "<>", "-", "1");
    assertThat(texts("a!=-1")).containsExactly("a", "!=-", "1");
    assertThat(texts("a=/*c*/1")).containsExactly("a", "=", "1");
    assertThat(texts("a+--c\n1")).containsExactly("a", "+", "1");
  }

  @Test
  void punctuationIsSingleCharacters() {
    assertThat(SqlLexer.tokenize("( ) [ ] { } , . ; : #"))
        .allSatisfy(token -> assertThat(token.kind()).isEqualTo(Token.Kind.PUNCTUATION))
        .hasSize(11);
  }

  @Test
  void identifiersMayHoldDollarsDigitsAndNonAsciiLetters() {
    assertThat(SqlLexer.tokenize("a$b _x1 größe"))
        .extracting(Token::kind, Token::text)
        .containsExactly(
            tuple(Token.Kind.IDENTIFIER, "a$b"),
            tuple(Token.Kind.IDENTIFIER, "_x1"),
            tuple(Token.Kind.IDENTIFIER, "größe"));
  }

  @Test
  void refusesAnUnterminatedStringNamingWhereItStarts() {
    assertThatThrownBy(() -> SqlLexer.tokenize("UPDATE t SET a = 'oops WHERE b = 1"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unterminated string literal starting at character 17: close it")
        .satisfies(e -> assertThat(((SqlSyntaxException) e).position()).isEqualTo(17));
    assertThatThrownBy(() -> SqlLexer.tokenize("E'abc\\'"))
        .hasMessageStartingWith("Unterminated string literal starting at character 0");
    assertThatThrownBy(() -> SqlLexer.tokenize("'a''"))
        .hasMessageStartingWith("Unterminated string literal starting at character 0");
    assertThatThrownBy(() -> SqlLexer.tokenize("E'\\"))
        .hasMessageStartingWith("Unterminated string literal starting at character 0");
    assertThatThrownBy(() -> SqlLexer.tokenize("'a'\n'b"))
        .hasMessageStartingWith("Unterminated string literal starting at character 0");
  }

  @Test
  void refusesOtherUnterminatedTokens() {
    assertThatThrownBy(() -> SqlLexer.tokenize("a \"col"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unterminated quoted identifier starting at character 2");
    assertThatThrownBy(() -> SqlLexer.tokenize("a /* x /* y */ z"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unterminated /* comment starting at character 2");
    assertThatThrownBy(() -> SqlLexer.tokenize("x = $tag$ abc $$"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessage(
            "Unterminated dollar-quoted string starting at character 4: close it with $tag$");
  }

  @Test
  void refusesEmptyQuotedIdentifiersAndStrayCharacters() {
    assertThatThrownBy(() -> SqlLexer.tokenize("SELECT \"\""))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Empty quoted identifier \"\" at character 7");
    assertThatThrownBy(() -> SqlLexer.tokenize("a \\ b"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unexpected character '\\' (U+005C) at character 2");
    assertThatThrownBy(() -> SqlLexer.tokenize("a = $ 1"))
        .isInstanceOf(SqlSyntaxException.class)
        .hasMessageStartingWith("Unexpected '$' at character 4");
  }

  @Test
  void tokenHelpersDescribeTheToken() {
    Token token = SqlLexer.tokenize("  (").get(0);
    assertThat(token.isPunctuation('(')).isTrue();
    assertThat(token.isOperator("(")).isFalse();
    assertThat(token.isName()).isFalse();
    assertThat(token.span()).isEqualTo(new Span(2, 3));
    assertThatThrownBy(() -> new Token(Token.Kind.NUMBER, "12", 0, 5, "12"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inconsistent offsets");
  }
}
