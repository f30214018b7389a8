package io.icecap.worker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The worker's local copies of DuckDB replicas, keyed by the replica's object location. Replica
 * files are immutable objects, so a copy is current exactly when the replica map names its
 * location: a newer version of a partition has another location and simply misses.
 *
 * <p>A job takes a copy out of the cache (a rename), changes it in place, and puts the result back
 * under the new replica's location once that is committed. A job that fails deletes its copy, so
 * nothing changed and uncommitted is ever served. Bounded by bytes, least recently used first out.
 */
public final class PartitionCache {
  private final Path dir;
  private final long maxBytes;
  private final Map<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  /**
   * Opens a cache in {@code dir}, emptying it: copies left by an earlier process are not trusted.
   */
  public PartitionCache(Path dir, long maxBytes) {
    this.dir = requireNonNull(dir, "dir is null");
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the partition cache in " + dir, e);
    }
  }

  /**
   * Moves the cached copy of the replica at {@code location} to {@code target}.
   *
   * @return whether there was one (a hit)
   */
  public boolean take(String location, Path target) {
    String name = fileName(location);
    synchronized (this) {
      Long size = sizes.remove(name);
      if (size == null) {
        misses.incrementAndGet();
        return false;
      }
      bytes -= size;
    }
    try {
      Files.move(dir.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
      hits.incrementAndGet();
      return true;
    } catch (IOException e) {
      misses.incrementAndGet();
      return false;
    }
  }

  /** Moves {@code file} into the cache as the copy of the replica at {@code location}. */
  public void put(String location, Path file) {
    String name = fileName(location);
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        Files.deleteIfExists(file);
        return;
      }
      Files.move(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      synchronized (this) {
        Long previous = sizes.put(name, size);
        bytes += size - (previous == null ? 0 : previous);
        evict();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot cache the replica " + location, e);
    }
  }

  private void evict() throws IOException {
    Iterator<Map.Entry<String, Long>> oldest = sizes.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Map.Entry<String, Long> entry = oldest.next();
      Files.deleteIfExists(dir.resolve(entry.getKey()));
      bytes -= entry.getValue();
      oldest.remove();
      evictions.incrementAndGet();
    }
  }

  /** What the cache holds and how it has served. */
  public synchronized CacheStats stats() {
    return new CacheStats(sizes.size(), bytes, hits.get(), misses.get(), evictions.get());
  }

  private static String fileName(String location) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(location.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest) + ".duckdb";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Counters of a partition cache.
   *
   * @param entries replicas held
   * @param bytes their size on disk
   * @param hits replicas served from the cache
   * @param misses replicas that had to be downloaded or built
   * @param evictions replicas dropped to stay within the size bound
   */
  public record CacheStats(long entries, long bytes, long hits, long misses, long evictions) {}
}
