package io.icecap.txn.sql;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * A parameter placeholder in the statement text.
 *
 * @param span the characters of the placeholder
 * @param number for a numbered parameter ({@code $2} or {@code ?2}) its number; empty for a
 *     positional {@code ?}, which takes the next value in order of appearance
 */
public record Parameter(Span span, OptionalInt number) {
  public Parameter {
    requireNonNull(span, "span is null");
    requireNonNull(number, "number is null");
    if (number.isPresent() && number.getAsInt() < 1) {
      throw new IllegalArgumentException("Parameter numbers start at 1, got " + number.getAsInt());
    }
  }
}
