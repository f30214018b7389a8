package io.icecap.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A replacement of the characters {@code [start, end)} of a text. */
record TextReplacement(int start, int end, String text) {
  /** The text with non-overlapping replacements made. */
  static String apply(String sql, List<TextReplacement> replacements) {
    List<TextReplacement> sorted = new ArrayList<>(replacements);
    sorted.sort(Comparator.comparingInt(TextReplacement::start));
    StringBuilder result = new StringBuilder();
    int copied = 0;
    for (TextReplacement replacement : sorted) {
      result.append(sql, copied, replacement.start()).append(replacement.text());
      copied = replacement.end();
    }
    return result.append(sql.substring(copied)).toString();
  }
}
