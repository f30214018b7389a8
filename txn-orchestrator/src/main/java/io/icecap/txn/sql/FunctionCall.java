package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A function call found in a statement.
 *
 * @param name the name parts as written, e.g. {@code [main, abs]} for {@code main.abs(x)}; quoted
 *     parts without their quotes
 * @param span for a call with parentheses, the characters from the first name part through the
 *     closing parenthesis; for a niladic keyword, the keyword itself
 * @param niladic true for a keyword function used without parentheses, such as {@code current_date}
 * @param emptyArguments true when nothing is passed: {@code now()}, or a niladic keyword
 */
public record FunctionCall(List<String> name, Span span, boolean niladic, boolean emptyArguments) {
  public FunctionCall {
    name = List.copyOf(requireNonNull(name, "name is null"));
    requireNonNull(span, "span is null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("A function name needs at least one part");
    }
    if (niladic && !emptyArguments) {
      throw new IllegalArgumentException("A niladic keyword " + name + " cannot have arguments");
    }
  }

  /** Returns the last name part: the function without its schema. */
  public String simpleName() {
    return name.get(name.size() - 1);
  }
}
