package io.icecap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The file chores of a benchmark run. */
final class WorkFiles {
  private WorkFiles() {}

  /** Creates a directory and its parents; returns it. */
  static Path create(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  /** Deletes a DuckDB database file and its write-ahead log. */
  static void deleteDuckDb(Path database) throws IOException {
    Files.deleteIfExists(database);
    Files.deleteIfExists(Path.of(database + ".wal"));
  }

  /** Deletes a directory and everything under it. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException("Cannot delete " + path, e);
                }
              });
    }
  }
}
