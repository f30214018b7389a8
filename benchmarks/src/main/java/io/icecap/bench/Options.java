package io.icecap.bench;

/** Parsing shared by the benchmarks' options. */
final class Options {
  private Options() {}

  /**
   * A whole number option value; {@code _} and {@code ,} separators are accepted ({@code
   * 10_000_000}, {@code 10,000,000}).
   *
   * @throws IllegalArgumentException naming the option when the value is not a whole number
   */
  static long number(String name, String value) {
    try {
      return Long.parseLong(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid " + name + " " + value + ": expected a whole number", e);
    }
  }
}
