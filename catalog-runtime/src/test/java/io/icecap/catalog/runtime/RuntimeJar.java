package io.icecap.catalog.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The catalog runtime jar the build made, read entry by entry. */
final class RuntimeJar {
  /** The system property the build sets to the jar's path. */
  static final String PATH_PROPERTY = "icecap.catalog-runtime.jar";

  private final Path path;
  private final Map<String, byte[]> entries;
  private final Manifest manifest;

  private RuntimeJar(Path path, Map<String, byte[]> entries, Manifest manifest) {
    this.path = path;
    this.entries = entries;
    this.manifest = manifest;
  }

  /** The jar named by {@link #PATH_PROPERTY}. */
  static RuntimeJar built() {
    String property = System.getProperty(PATH_PROPERTY);
    if (property == null) {
      throw new IllegalStateException(
          "System property " + PATH_PROPERTY + " is not set: run the test with Maven (failsafe)");
    }
    Path path = Path.of(property);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "No catalog runtime jar at " + path + ": run the package phase first");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (JarFile jar = new JarFile(path.toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (!entry.isDirectory()) {
          try (InputStream in = jar.getInputStream(entry)) {
            entries.put(entry.getName(), in.readAllBytes());
          }
        }
      }
      return new RuntimeJar(path, Collections.unmodifiableMap(entries), jar.getManifest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  Path path() {
    return path;
  }

  /** Every file of the jar by name, with its bytes. */
  Map<String, byte[]> entries() {
    return entries;
  }

  Manifest manifest() {
    return manifest;
  }
}
