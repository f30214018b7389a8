package io.icecap.client;

import java.nio.charset.StandardCharsets;

/** DuckDB reports positions in a query's UTF-8 bytes; Java strings count UTF-16 characters. */
final class Utf8 {
  private Utf8() {}

  /** The index of the character at a UTF-8 byte offset of {@code text}. */
  static int charIndex(String text, int byteOffset) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      if (bytes >= byteOffset) {
        return i;
      }
      int codePoint = text.codePointAt(i);
      bytes += new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (Character.isSupplementaryCodePoint(codePoint)) {
        i++;
      }
    }
    return text.length();
  }
}
