package io.icecap.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The notes under a benchmark's table: a label, then the text wrapped at 100 characters. */
final class Notes {
  private static final int WIDTH = 100;

  private Notes() {}

  /** Prints {@code text} wrapped, {@code label} in the margin of its first line. */
  static void print(PrintStream out, String label, String text) {
    List<String> lines = wrap(text);
    for (int i = 0; i < lines.size(); i++) {
      out.printf("%-11s%s%n", i == 0 ? label : "", lines.get(i));
    }
  }

  private static List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
