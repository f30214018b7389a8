package io.icecap.catalog.runtime;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a class file refers to, read from its constant pool: the names of its class entries
 * and every class named in a type descriptor ({@code Lpkg/Name;}), in internal form ({@code
 * java/lang/String}).
 */
final class ClassReferences {
  // an L that starts a descriptor, not one inside a type variable ("TListener;")
  private static final Pattern DESCRIPTOR = Pattern.compile("(?<![\\w$/])L([A-Za-z_$][\\w$/]*);");

  private ClassReferences() {}

  static Set<String> of(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("Not a class file");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNames = new int[count];
    int classes = 0;
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNames[classes++] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++; // a long or double takes two entries
        }
        default -> throw new IOException("Unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    Set<String> references = new TreeSet<>();
    for (int c = 0; c < classes; c++) {
      String name = utf8[classNames[c]];
      if (name.startsWith("[")) {
        addDescriptors(name, references);
      } else {
        references.add(name);
      }
    }
    for (String text : utf8) {
      if (text != null && text.indexOf(';') > 0) {
        addDescriptors(text, references);
      }
    }
    return references;
  }

  private static void addDescriptors(String text, Set<String> references) {
    Matcher matcher = DESCRIPTOR.matcher(text);
    while (matcher.find()) {
      references.add(matcher.group(1));
    }
  }
}
