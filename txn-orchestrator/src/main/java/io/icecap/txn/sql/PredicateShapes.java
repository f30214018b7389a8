package io.icecap.txn.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Recognizes the simple shapes of {@link SimplePredicate} in one WHERE conjunct. */
final class PredicateShapes {
  /** Words that look like names but are values or operators, never a column. */
  private static final Set<String> NOT_COLUMNS =
      Set.of(
          ("TRUE FALSE NULL NOT CASE EXISTS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP LOCALTIME"
                  + " LOCALTIMESTAMP CURRENT_USER SESSION_USER USER CURRENT_ROLE CURRENT_CATALOG"
                  + " CURRENT_SCHEMA")
              .split(" "));

  private record Column(String name, int end) {}

  private final DmlStatement statement;
  private final TokenCursor cursor;
  private final List<Token> tokens;

  PredicateShapes(DmlStatement statement, TokenCursor cursor) {
    this.statement = statement;
    this.cursor = cursor;
    this.tokens = cursor.tokens();
  }

  /** Returns the predicate formed by tokens [from, to), if they have one of the simple shapes. */
  Optional<SimplePredicate> match(int from, int to) {
    Column column = column(from, to);
    if (column != null) {
      return afterColumn(column, from, to);
    }
    for (int i = from;
        i < to;
        i = TokenCursor.isOpening(tokens.get(i)) ? cursor.partner(i) + 1 : i + 1) {
      SimplePredicate.Operator operator = comparison(tokens.get(i));
      if (operator != null) {
        Column right = column(i + 1, to);
        if (right == null || right.end() != to) {
          return Optional.empty();
        }
        return operand(from, i)
            .map(value -> predicate(right, operator.flipped(), List.of(value), from, to));
      }
    }
    return Optional.empty();
  }

  private Optional<SimplePredicate> afterColumn(Column column, int from, int to) {
    int i = column.end();
    if (i >= to) {
      return Optional.empty();
    }
    Token token = tokens.get(i);
    SimplePredicate.Operator comparison = comparison(token);
    if (comparison != null) {
      return operand(i + 1, to)
          .map(value -> predicate(column, comparison, List.of(value), from, to));
    }
    if ((token.isKeyword("IS") && i + 2 == to && tokens.get(i + 1).isKeyword("NULL"))
        || (token.isKeyword("ISNULL") && i + 1 == to)) {
      return Optional.of(predicate(column, SimplePredicate.Operator.IS_NULL, List.of(), from, to));
    }
    if ((token.isKeyword("IS")
            && i + 3 == to
            && tokens.get(i + 1).isKeyword("NOT")
            && tokens.get(i + 2).isKeyword("NULL"))
        || (token.isKeyword("NOTNULL") && i + 1 == to)) {
      return Optional.of(
          predicate(column, SimplePredicate.Operator.IS_NOT_NULL, List.of(), from, to));
    }
    if (token.isKeyword("IN")
        && i + 1 < to
        && tokens.get(i + 1).isPunctuation('(')
        && cursor.partner(i + 1) == to - 1) {
      return inList(i + 2, to - 1)
          .map(values -> predicate(column, SimplePredicate.Operator.IN, values, from, to));
    }
    if (token.isKeyword("BETWEEN")) {
      for (int and = i + 1; and < to; and++) {
        if (tokens.get(and).isKeyword("AND")) {
          Optional<SimplePredicate.Operand> low = operand(i + 1, and);
          Optional<SimplePredicate.Operand> high = operand(and + 1, to);
          if (low.isEmpty() || high.isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(
              predicate(
                  column,
                  SimplePredicate.Operator.BETWEEN,
                  List.of(low.get(), high.get()),
                  from,
                  to));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<List<SimplePredicate.Operand>> inList(int from, int to) {
    List<SimplePredicate.Operand> values = new ArrayList<>();
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || tokens.get(i).isPunctuation(',')) {
        Optional<SimplePredicate.Operand> value = operand(start, i);
        if (value.isEmpty()) {
          return Optional.empty();
        }
        values.add(value.get());
        start = i + 1;
      } else if (TokenCursor.isOpening(tokens.get(i))) {
        i = cursor.partner(i);
      }
    }
    return Optional.of(values);
  }

  /** Returns the target-table column that starts at {@code from}, or null. */
  private Column column(int from, int to) {
    List<String> parts = new ArrayList<>();
    int i = from;
    while (true) {
      if (i >= to || !tokens.get(i).isName()) {
        return null;
      }
      Token part = tokens.get(i);
      if (part.kind() == Token.Kind.IDENTIFIER
          && NOT_COLUMNS.contains(part.text().toUpperCase(Locale.ROOT))) {
        return null;
      }
      parts.add(part.value());
      i++;
      if (i < to && tokens.get(i).isPunctuation('.')) {
        i++;
      } else {
        break;
      }
    }
    // DATE '2024-01-01' is a typed literal and f(x) a call, not columns
    if (i < to && (tokens.get(i).kind() == Token.Kind.STRING || tokens.get(i).isPunctuation('('))) {
      return null;
    }
    List<String> qualifier = parts.subList(0, parts.size() - 1);
    return qualifiesTarget(qualifier) ? new Column(parts.get(parts.size() - 1), i) : null;
  }

  private boolean qualifiesTarget(List<String> qualifier) {
    if (qualifier.isEmpty()) {
      return true;
    }
    if (statement.alias().isPresent()) {
      return qualifier.size() == 1 && qualifier.get(0).equalsIgnoreCase(statement.alias().get());
    }
    List<String> target = statement.target().parts();
    if (qualifier.size() > target.size()) {
      return false;
    }
    List<String> suffix = target.subList(target.size() - qualifier.size(), target.size());
    for (int i = 0; i < qualifier.size(); i++) {
      if (!qualifier.get(i).equalsIgnoreCase(suffix.get(i))) {
        return false;
      }
    }
    return true;
  }

  private Optional<SimplePredicate.Operand> operand(int from, int to) {
    if (from >= to || valueEnd(from, to) != to) {
      return Optional.empty();
    }
    OptionalInt parameterIndex = OptionalInt.empty();
    List<Parameter> parameters = statement.parameters();
    for (int i = from; i < to && parameterIndex.isEmpty(); i++) {
      for (int p = 0; p < parameters.size(); p++) {
        if (parameters.get(p).span().start() == tokens.get(i).start()) {
          parameterIndex = OptionalInt.of(p);
        }
      }
    }
    Span span = cursor.span(from, to);
    return Optional.of(new SimplePredicate.Operand(span, statement.text(span), parameterIndex));
  }

  /** Returns the end of the literal, parameter or cast value starting at {@code from}, or -1. */
  private int valueEnd(int from, int to) {
    int end = baseEnd(from, to);
    while (end >= 0 && end < to && tokens.get(end).isOperator("::")) {
      end = typeEnd(end + 1, to);
    }
    return end;
  }

  private int baseEnd(int from, int to) {
    Token token = tokens.get(from);
    boolean sign = token.isOperator("-") || token.isOperator("+");
    if (sign && from + 1 < to && tokens.get(from + 1).kind() == Token.Kind.NUMBER) {
      return from + 2;
    }
    if (token.kind() == Token.Kind.NUMBER
        || token.kind() == Token.Kind.STRING
        || token.kind() == Token.Kind.PARAMETER
        || token.isKeyword("TRUE")
        || token.isKeyword("FALSE")) {
      return from + 1;
    }
    if (token.isKeyword("CAST") && from + 1 < to && tokens.get(from + 1).isPunctuation('(')) {
      int close = cursor.partner(from + 1);
      for (int as = from + 2; as < close; as++) {
        if (tokens.get(as).isKeyword("AS")) {
          boolean valid = valueEnd(from + 2, as) == as && typeEnd(as + 1, close) == close;
          return valid ? close + 1 : -1;
        }
      }
      return -1;
    }
    int typeName = from;
    while (typeName < to && tokens.get(typeName).kind() == Token.Kind.IDENTIFIER) {
      typeName++;
    }
    boolean typedLiteral =
        typeName > from && typeName < to && tokens.get(typeName).kind() == Token.Kind.STRING;
    return typedLiteral ? typeName + 1 : -1;
  }

  /** Returns the end of the type name starting at {@code from} (up to a {@code ::}), or -1. */
  private int typeEnd(int from, int to) {
    int i = from;
    while (i < to && !tokens.get(i).isOperator("::")) {
      Token token = tokens.get(i);
      if (token.isName() || token.isPunctuation('.')) {
        i++;
      } else if (token.isPunctuation('(') || token.isPunctuation('[')) {
        int close = cursor.partner(i);
        for (int inner = i + 1; inner < close; inner++) {
          Token.Kind kind = tokens.get(inner).kind();
          if (kind == Token.Kind.PARAMETER || kind == Token.Kind.OPERATOR) {
            return -1;
          }
        }
        i = close + 1;
      } else {
        return -1;
      }
    }
    return i > from ? i : -1;
  }

  private SimplePredicate predicate(
      Column column,
      SimplePredicate.Operator operator,
      List<SimplePredicate.Operand> operands,
      int from,
      int to) {
    return new SimplePredicate(column.name(), operator, operands, cursor.span(from, to));
  }

  private static SimplePredicate.Operator comparison(Token token) {
    if (token.kind() != Token.Kind.OPERATOR) {
      return null;
    }
    return switch (token.text()) {
      case "=", "==" -> SimplePredicate.Operator.EQUAL;
      case "<>", "!=" -> SimplePredicate.Operator.NOT_EQUAL;
      case "<" -> SimplePredicate.Operator.LESS_THAN;
      case "<=" -> SimplePredicate.Operator.LESS_THAN_OR_EQUAL;
      case ">" -> SimplePredicate.Operator.GREATER_THAN;
      case ">=" -> SimplePredicate.Operator.GREATER_THAN_OR_EQUAL;
      default -> null;
    };
  }
}
