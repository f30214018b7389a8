package io.icecap.client;

import static java.util.Objects.requireNonNull;

import io.icecap.catalog.io.LocalFileIO;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;

/**
 * Local copies of table files, keyed by object location and size. Data files are immutable, so a
 * copy is current exactly when a snapshot names its location: a newer snapshot names other files
 * and simply misses. A local warehouse is read in place. Bounded by bytes, least recently used out;
 * a file a running query holds is never evicted.
 *
 * <p>The cache also keeps within its disk: before a fetch it checks the free space of the cache
 * directory's file store, evicts more when the file would leave less than {@link #FREE_RESERVE}
 * free, and refuses the fetch with {@link ErrorCode#CACHE_FULL} when even that is not enough. A
 * disk that fills during the copy anyway (another process writing) gets the same error, and the
 * partial copy is removed.
 */
final class ReadCache {
  /** The free bytes a fetch must leave on the cache's disk, for DuckDB and other files. */
  static final long FREE_RESERVE = 16L << 20;

  /** The size to release a file made by {@link #holdDerived} with. */
  static final long DERIVED = Long.MIN_VALUE;

  private final Path dir;
  final long maxBytes;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /** Bytes of fetches under way: on disk in part or not yet, but promised. */
  private long fetching;

  private long hits;
  private long misses;
  private long evictions;
  private long localReads;

  private static final class Entry {
    final long size;
    int holders;

    Entry(long size) {
      this.size = size;
    }
  }

  /**
   * Opens a cache in {@code dir}, emptying it: copies left by an earlier process are not trusted.
   */
  /** The directory of the cached files. */
  Path directory() {
    return dir;
  }

  ReadCache(Path dir, long maxBytes) {
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
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot prepare the read cache in %s: %s; check the directory's permissions and space",
          dir,
          e.getMessage());
    }
  }

  /**
   * The local path of a table file, fetched when not cached; the caller holds it until {@link
   * #release}.
   */
  Path hold(FileIO io, String location, long size) {
    if (io instanceof LocalFileIO local) {
      Path path = local.pathOf(location);
      if (!Files.isRegularFile(path)) {
        throw new IcecapException(
            ErrorCode.STORAGE_ERROR,
            "Table file %s is missing from the warehouse; the table's metadata names it",
            location);
      }
      synchronized (this) {
        localReads++;
      }
      return path;
    }
    String name = name(location, size);
    synchronized (this) {
      Entry entry = entries.get(name);
      if (entry != null) {
        entry.holders++;
        hits++;
        return dir.resolve(name);
      }
      misses++;
      makeRoom(location, size);
      fetching += Math.max(size, 0);
    }
    Path partial = dir.resolve(name + "." + UUID.randomUUID() + ".part");
    try {
      fetch(io, location, size, partial, dir.resolve(name));
    } finally {
      synchronized (this) {
        fetching -= Math.max(size, 0);
      }
    }
    synchronized (this) {
      Entry entry = entries.get(name);
      if (entry == null) {
        entry = new Entry(size < 0 ? sizeOf(dir.resolve(name)) : size);
        entries.put(name, entry);
        bytes += entry.size;
      }
      entry.holders++;
      evict();
    }
    return dir.resolve(name);
  }

  /**
   * The local path of a file made from table files (an ORC or Avro file converted to Parquet, a
   * deletion vector's positions), made by {@code writer} when not cached. The caller holds it until
   * {@link #release} with {@code key} and {@link #DERIVED}.
   *
   * @param key what the file is made of; the same key always makes the same file
   * @param estimate the bytes it will take, about, for the room to make before
   * @param writer writes the file at the path it is given
   */
  Path holdDerived(String key, long estimate, Consumer<Path> writer) {
    String name = name(key, DERIVED);
    synchronized (this) {
      Entry entry = entries.get(name);
      if (entry != null) {
        entry.holders++;
        hits++;
        return dir.resolve(name);
      }
      misses++;
      makeRoom(key, estimate);
      fetching += Math.max(estimate, 0);
    }
    Path partial = dir.resolve(name + "." + UUID.randomUUID() + ".part");
    Path target = dir.resolve(name);
    try {
      writer.accept(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(partial);
      if (e instanceof IcecapException icecap) {
        throw icecap;
      }
      if (isDiskFull(e)) {
        throw new IcecapException(
            ErrorCode.CACHE_FULL,
            e,
            "The disk of the read cache %s filled up while writing %s: %s; free space there, or"
                + " give the session a home on a larger disk",
            dir,
            key,
            e.getMessage());
      }
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot write %s into the read cache: %s",
          key,
          e.getMessage());
    } finally {
      synchronized (this) {
        fetching -= Math.max(estimate, 0);
      }
    }
    synchronized (this) {
      Entry entry = entries.get(name);
      if (entry == null) {
        entry = new Entry(sizeOf(target));
        entries.put(name, entry);
        bytes += entry.size;
      }
      entry.holders++;
      evict();
    }
    return target;
  }

  private void fetch(FileIO io, String location, long size, Path partial, Path target) {
    try (InputStream in = io.newInputFile(location).newStream()) {
      long copied = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      if (size >= 0 && copied != size) {
        throw new IcecapException(
            ErrorCode.STORAGE_ERROR,
            "Table file %s has %d bytes, but the table's metadata says %d (truncated or replaced)",
            location,
            copied,
            size);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (NotFoundException e) {
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Table file %s is missing from the warehouse; the table's metadata names it",
          location);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(partial);
      if (e instanceof IcecapException icecap) {
        throw icecap;
      }
      if (isDiskFull(e)) {
        throw new IcecapException(
            ErrorCode.CACHE_FULL,
            e,
            "The disk of the read cache %s filled up while fetching %s (%d bytes): %s; free"
                + " space there, or give the session a home on a larger disk",
            dir,
            location,
            size,
            e.getMessage());
      }
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot fetch table file %s into the read cache in %s: %s; check the warehouse is"
              + " reachable and the cache directory has space",
          location,
          dir,
          e.getMessage());
    }
  }

  /** Lets a held file go; it may be evicted from now on. */
  synchronized void release(String location, long size) {
    Entry entry = entries.get(name(location, size));
    if (entry != null && entry.holders > 0) {
      entry.holders--;
      evict();
    }
  }

  /**
   * Evicts unheld copies, least recently used first, until the cache's disk has room for {@code
   * size} more bytes and {@link #FREE_RESERVE}.
   *
   * @throws IcecapException with {@link ErrorCode#CACHE_FULL} when it cannot
   */
  private void makeRoom(String location, long size) {
    long needed = Math.max(size, 0) + FREE_RESERVE;
    long free = usableSpace() - fetching;
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (free < needed && oldest.hasNext()) {
      Map.Entry<String, Entry> next = oldest.next();
      if (next.getValue().holders > 0) {
        continue;
      }
      deleteQuietly(dir.resolve(next.getKey()));
      bytes -= next.getValue().size;
      free += next.getValue().size;
      oldest.remove();
      evictions++;
    }
    if (free < needed) {
      throw new IcecapException(
          ErrorCode.CACHE_FULL,
          "The read cache %s has %d bytes free on its disk, but fetching %s needs %d (the file)"
              + " plus %d to spare, and the files it holds are in use; free space on that disk,"
              + " give the session a home on a larger disk, or query fewer files",
          dir,
          free,
          location,
          Math.max(size, 0),
          FREE_RESERVE);
    }
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new IcecapException(
          ErrorCode.STORAGE_ERROR,
          e,
          "Cannot read the free space of the read cache %s: %s; check the directory exists",
          dir,
          e.getMessage());
    }
  }

  private static boolean isDiskFull(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && message.contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  private void evict() {
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Map.Entry<String, Entry> next = oldest.next();
      if (next.getValue().holders > 0) {
        continue;
      }
      deleteQuietly(dir.resolve(next.getKey()));
      bytes -= next.getValue().size;
      oldest.remove();
      evictions++;
    }
  }

  synchronized CacheStats stats() {
    return new CacheStats(entries.size(), bytes, hits, misses, evictions, localReads);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale copy is deleted with the next cache start
    }
  }

  private static String name(String location, long size) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((location + "#" + size).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest) + ".parquet";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
