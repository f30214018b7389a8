package io.icecap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsing shared by the benchmarks' options. */
final class Options {
  private Options() {}

  /**
   * The {@code --name value} pairs of a benchmark's arguments, in order.
   *
   * @throws IllegalArgumentException naming the option that has no value
   */
  static List<Map.Entry<String, String>> pairs(List<String> args) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException("Option " + name + " needs a value");
      }
      pairs.add(Map.entry(name, args.get(i + 1)));
    }
    return pairs;
  }

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

  /**
   * A list of whole numbers separated by {@code /} ({@code 100/1000}, {@code 1/2/4}); each accepts
   * the separators of {@link #number}, but a {@code ,} only where it groups thousands, so that
   * {@code 100,1000} is refused rather than read as 1,001,000. They must be positive and distinct;
   * their order is kept.
   *
   * @throws IllegalArgumentException naming the option when the list is empty, an element is not a
   *     positive whole number within {@code int}, or one is repeated
   */
  static List<Integer> positiveList(String name, String value) {
    List<Integer> numbers = new ArrayList<>();
    for (String element : value.split("/", -1)) {
      if (element.isBlank()) {
        throw new IllegalArgumentException(
            "Invalid " + name + " " + value + ": expected numbers separated by /, such as 1/2/4");
      }
      if (element.contains(",") && !element.trim().matches("\\d{1,3}(,\\d{3})+")) {
        throw new IllegalArgumentException(
            "Invalid "
                + name
                + " "
                + value
                + ": separate the numbers with / (such as 100/1000); a , only groups thousands");
      }
      long number = number(name, element.trim());
      if (number <= 0 || number > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Invalid " + name + " " + value + ": " + element + " must be a positive whole number");
      }
      if (numbers.contains((int) number)) {
        throw new IllegalArgumentException(
            "Invalid " + name + " " + value + ": " + element + " is given twice");
      }
      numbers.add((int) number);
    }
    return List.copyOf(numbers);
  }

  /**
   * The value of a {@code --repeat} option: how many times a benchmark measures each figure.
   *
   * @throws IllegalArgumentException naming the option when the value is not a whole number of 1 or
   *     more
   */
  static int repeat(String name, String value) {
    long number = number(name, value);
    if (number < 1 || number > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Invalid "
              + name
              + " "
              + value
              + ": expected a whole number of 1 or more, such as 3 (each repetition measures the"
              + " same work again; the median is reported)");
    }
    return (int) number;
  }

  /**
   * Checks a repetition count given in code rather than on the command line.
   *
   * @throws IllegalArgumentException when it is below 1, as for {@code --repeat}
   */
  static void requireRepeat(int repeat) {
    repeat("--repeat", Integer.toString(repeat));
  }
}
