package io.icecap.worker.function;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The worker function's Lambda packages that {@code mvn package} builds in {@code
 * worker-function/target}: {@code icecap-worker-function-<version>-lambda-<arch>.zip}, with the
 * dependencies as {@code lib/*.jar} and DuckDB's library for that architecture at the root.
 */
public final class LambdaPackage {
  private LambdaPackage() {}

  /** The package's architecture for this machine: {@code arm64} or {@code x86_64}. */
  public static String architecture() {
    return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "x86_64";
  }

  /** The package for this machine's architecture in a {@code target} directory, if built. */
  public static Optional<Path> find(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> zips =
        Files.newDirectoryStream(
            target, "icecap-worker-function-*-lambda-" + architecture() + ".zip")) {
      for (Path zip : zips) {
        return Optional.of(zip);
      }
    }
    return Optional.empty();
  }

  /**
   * Unzips a package as Lambda does before it starts the runtime.
   *
   * @return the bytes of the files unzipped
   * @throws IOException also when an entry would land outside {@code into}
   */
  public static long unzip(Path zip, Path into) throws IOException {
    long bytes = 0;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into.normalize())) {
          throw new IOException(
              "The package " + zip + " has an entry outside its root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          bytes += Files.copy(in, target);
        }
      }
    }
    return bytes;
  }

  /** The class path of an unzipped package, as the Java runtime of Lambda builds it. */
  public static String classPath(Path unzipped) {
    return unzipped + ":" + unzipped.resolve("lib") + "/*";
  }
}
