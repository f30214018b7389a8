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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's local copies of DuckDB replicas, keyed by the replica's object location. Replica
 * files are immutable objects, so a copy is current exactly when the replica map names its
 * location: a newer version of a partition has another location and simply misses.
 *
 * <p>A job takes a copy out of the cache, changes it in place, and puts the result back under the
 * new replica's location once that is committed. A job that fails deletes its copy, so nothing
 * changed and uncommitted is ever served.
 *
 * <p>The most recently used copies stay open, with their DuckDB database and prepared connection:
 * opening a database costs tens of milliseconds, and a table that is written all the time needs the
 * same partitions round after round. Copies beyond that are closed files in the cache's directory.
 * Bounded by bytes, least recently used first out.
 */
public final class PartitionCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionCache.class);

  private final Path dir;
  private final long maxBytes;
  private final int maxOpen;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private int open;
  private long hits;
  private long misses;
  private long evictions;

  /** A cached copy: a closed file in the cache's directory, or an open replica. */
  private record Entry(long size, WorkingReplica replica) {}

  /**
   * Opens a cache in {@code dir}, emptying it: copies left by an earlier process are not trusted.
   *
   * @param maxBytes the most bytes of copies, open or closed
   * @param maxOpen the most copies kept open
   */
  public PartitionCache(Path dir, long maxBytes, int maxOpen) {
    this.dir = requireNonNull(dir, "dir is null");
    this.maxBytes = maxBytes;
    this.maxOpen = maxOpen;
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
   * Takes the open copy of the replica at {@code location}, if the cache holds one open. A miss
   * here is not counted: the caller asks {@link #take} next.
   */
  synchronized WorkingReplica takeOpen(String location) {
    Entry entry = entries.get(location);
    if (entry == null || entry.replica() == null) {
      return null;
    }
    entries.remove(location);
    bytes -= entry.size();
    open--;
    hits++;
    return entry.replica();
  }

  /**
   * Moves the cached copy of the replica at {@code location} to {@code target}, closing it first
   * when it is open.
   *
   * @return whether there was one (a hit)
   */
  public boolean take(String location, Path target) {
    Entry entry;
    synchronized (this) {
      entry = entries.remove(location);
      if (entry == null) {
        misses++;
        return false;
      }
      bytes -= entry.size();
      if (entry.replica() != null) {
        open--;
      }
    }
    Path file = entry.replica() == null ? dir.resolve(fileName(location)) : entry.replica().file();
    if (entry.replica() != null) {
      entry.replica().close();
    }
    try {
      Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
      synchronized (this) {
        hits++;
      }
      return true;
    } catch (IOException e) {
      synchronized (this) {
        misses++;
      }
      return false;
    }
  }

  /** Moves {@code file} into the cache as the closed copy of the replica at {@code location}. */
  public void put(String location, Path file) {
    try {
      long size = Files.size(file);
      if (size > maxBytes) {
        Files.deleteIfExists(file);
        return;
      }
      Files.move(file, dir.resolve(fileName(location)), StandardCopyOption.REPLACE_EXISTING);
      admit(location, new Entry(size, null));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot cache the replica " + location, e);
    }
  }

  /** Keeps an open replica as the copy of the replica at {@code location}. */
  void putOpen(String location, WorkingReplica replica) {
    long size;
    try {
      size = Files.size(replica.file());
    } catch (IOException e) {
      discard(replica);
      throw new UncheckedIOException("Cannot cache the replica " + location, e);
    }
    if (size > maxBytes || maxOpen == 0) {
      replica.close();
      put(location, replica.file());
      return;
    }
    admit(location, new Entry(size, replica));
  }

  /**
   * Adds an entry, then keeps within the bounds: the least recently used open copies beyond the
   * open bound are closed and kept as files, and the least recently used copies beyond the byte
   * bound are dropped. Closing and deleting happen under the lock; they are a few per job.
   */
  private synchronized void admit(String location, Entry entry) {
    Entry previous = entries.put(location, entry);
    bytes += entry.size();
    open += entry.replica() == null ? 0 : 1;
    if (previous != null) {
      bytes -= previous.size();
      if (previous.replica() != null) {
        open--;
        discard(previous.replica());
      } else if (entry.replica() != null) {
        deleteQuietly(dir.resolve(fileName(location)));
      }
    }
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (open > maxOpen && oldest.hasNext()) {
      Map.Entry<String, Entry> next = oldest.next();
      WorkingReplica replica = next.getValue().replica();
      if (replica != null) {
        replica.close();
        open--;
        try {
          Files.move(
              replica.file(),
              dir.resolve(fileName(next.getKey())),
              StandardCopyOption.REPLACE_EXISTING);
          next.setValue(new Entry(next.getValue().size(), null));
        } catch (IOException e) {
          LOG.warn("Cannot keep the replica {} in the cache", next.getKey(), e);
          deleteQuietly(replica.file());
          bytes -= next.getValue().size();
          oldest.remove();
        }
      }
    }
    oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      Map.Entry<String, Entry> next = oldest.next();
      WorkingReplica replica = next.getValue().replica();
      if (replica != null) {
        discard(replica);
        open--;
      } else {
        deleteQuietly(dir.resolve(fileName(next.getKey())));
      }
      bytes -= next.getValue().size();
      oldest.remove();
      evictions++;
    }
  }

  /** What the cache holds and how it has served. */
  public synchronized CacheStats stats() {
    return new CacheStats(entries.size(), open, bytes, hits, misses, evictions);
  }

  /** Closes the open copies and deletes them; closed copies are left for the next process. */
  @Override
  public void close() {
    List<WorkingReplica> replicas = new ArrayList<>();
    synchronized (this) {
      Iterator<Entry> all = entries.values().iterator();
      while (all.hasNext()) {
        Entry entry = all.next();
        if (entry.replica() != null) {
          replicas.add(entry.replica());
          bytes -= entry.size();
          all.remove();
        }
      }
      open = 0;
    }
    replicas.forEach(PartitionCache::discard);
  }

  /** Closes an open replica that is not kept and deletes its file. */
  static void discard(WorkingReplica replica) {
    replica.close();
    deleteQuietly(replica.file());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete {}", file, e);
    }
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
   * @param open of those, replicas held open
   * @param bytes their size on disk
   * @param hits replicas served from the cache
   * @param misses replicas that had to be downloaded or built
   * @param evictions replicas dropped to stay within the size bound
   */
  public record CacheStats(
      long entries, long open, long bytes, long hits, long misses, long evictions) {}
}
