package io.icecap.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Finds the {@code redis-server} executable: the one on {@code PATH} if there is one, else the
 * binary shipped inside the embedded-redis jar, extracted once per JVM.
 */
final class RedisBinary {

  static final String EXECUTABLE = "redis-server";

  /** A class file of the embedded-redis jar, used to find the jar without loading the class. */
  private static final String EMBEDDED_REDIS_MARKER = "redis/embedded/RedisServer.class";

  private static Path resolved;

  private RedisBinary() {}

  /** Returns the redis-server executable to launch, extracting the bundled one if needed. */
  static synchronized Path resolve() {
    if (resolved == null) {
      resolved = findOnPath(System.getenv("PATH")).orElseGet(RedisBinary::extractBundled);
    }
    return resolved;
  }

  /** Returns the first executable regular file named redis-server in the given PATH value. */
  static Optional<Path> findOnPath(String pathVariable) {
    if (pathVariable == null || pathVariable.isBlank()) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(Pattern.quote(File.pathSeparator))) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir).resolve(EXECUTABLE);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the names of the embedded-redis resources that fit the platform, best first, or an
   * empty list when the jar ships nothing for it.
   */
  static List<String> bundledResourceNames(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      if (amd64) {
        return List.of("redis-server-6.2.6-v5-linux-amd64");
      }
      if (arm64) {
        return List.of("redis-server-6.2.7-linux-arm64");
      }
    } else if (os.contains("mac") || os.contains("darwin")) {
      if (amd64) {
        return List.of("redis-server-6.2.6-v5-darwin-amd64");
      }
      if (arm64) {
        return List.of("redis-server-6.2.6-v5-darwin-arm64");
      }
    }
    return List.of();
  }

  /** Returns the pattern a bundled resource name for the platform matches, whatever its version. */
  static Optional<Pattern> bundledResourcePattern(String osName, String osArch) {
    List<String> known = bundledResourceNames(osName, osArch);
    if (known.isEmpty()) {
      return Optional.empty();
    }
    String name = known.get(0);
    String suffix = name.substring(name.lastIndexOf('-', name.lastIndexOf('-') - 1));
    return Optional.of(Pattern.compile("redis-server-[0-9][^/]*" + Pattern.quote(suffix)));
  }

  private static Path extractBundled() {
    String osName = System.getProperty("os.name", "");
    String osArch = System.getProperty("os.arch", "");
    String resource = findBundledResource(osName, osArch);
    try {
      Path target = Files.createTempFile("icecap-" + resource + "-", "");
      target.toFile().deleteOnExit();
      try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Resource " + resource + " vanished from the class path");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not extract the bundled "
              + resource
              + " to "
              + System.getProperty("java.io.tmpdir")
              + "; install redis-server on PATH instead",
          e);
    }
  }

  private static String findBundledResource(String osName, String osArch) {
    ClassLoader loader = RedisBinary.class.getClassLoader();
    for (String name : bundledResourceNames(osName, osArch)) {
      if (loader.getResource(name) != null) {
        return name;
      }
    }
    Optional<Pattern> pattern = bundledResourcePattern(osName, osArch);
    if (pattern.isPresent()) {
      Optional<String> scanned = scanEmbeddedRedisJar(loader, pattern.get());
      if (scanned.isPresent()) {
        return scanned.get();
      }
    }
    throw new IllegalStateException(
        "No redis-server on PATH and the embedded-redis jar ships no binary for os.name="
            + osName
            + " os.arch="
            + osArch
            + "; install Redis (for example `apt-get install redis-server`) so that redis-server"
            + " is on PATH");
  }

  private static Optional<String> scanEmbeddedRedisJar(ClassLoader loader, Pattern pattern) {
    URL marker = loader.getResource(EMBEDDED_REDIS_MARKER);
    if (marker == null || !"jar".equals(marker.getProtocol())) {
      return Optional.empty();
    }
    try {
      JarURLConnection connection = (JarURLConnection) marker.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        return jar.stream()
            .map(JarEntry::getName)
            .filter(name -> pattern.matcher(name).matches())
            .sorted()
            .reduce((first, second) -> second);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the embedded-redis jar at " + marker, e);
    }
  }
}
