package io.icecap.catalog.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FileIO over the local file system, without Hadoop. Locations are absolute paths or {@code
 * file:} URIs. A file is written to a hidden temporary file beside its target, forced to disk and
 * then moved into place, so a reader never sees half a file and a committed metadata file survives
 * a crash.
 */
public class LocalFileIO implements SupportsPrefixOperations, SupportsBulkOperations {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFileIO.class);

  private Map<String, String> properties = Map.of();

  /** Creates the FileIO; {@link #initialize} is optional. */
  public LocalFileIO() {}

  @Override
  public void initialize(Map<String, String> props) {
    this.properties = Collections.unmodifiableMap(new HashMap<>(props));
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInputFile(location, toPath(location), -1);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return new LocalInputFile(location, toPath(location), length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutputFile(location, toPath(location));
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (DirectoryNotEmptyException e) {
      throw new UncheckedIOException("Cannot delete " + location + ": it is a directory", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete file " + location, e);
    }
  }

  @Override
  public void deleteFiles(Iterable<String> locations) throws BulkDeletionFailureException {
    int failures = 0;
    for (String location : locations) {
      try {
        deleteFile(location);
      } catch (RuntimeException e) {
        LOG.warn("Cannot delete file {}", location, e);
        failures++;
      }
    }
    if (failures > 0) {
      throw new BulkDeletionFailureException(failures);
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toPath(prefix);
    Path start = Files.isDirectory(root) ? root : root.getParent();
    List<FileInfo> files = new ArrayList<>();
    if (start == null || !Files.isDirectory(start)) {
      return files;
    }
    String rootText = root.toString();
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && file.toString().startsWith(rootText)) {
                files.add(
                    new FileInfo(
                        locationOf(prefix, rootText, file),
                        attrs.size(),
                        attrs.lastModifiedTime().toMillis()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                // deleted while the listing ran (a job replacing a file, a commit moving its
                // temporary file into place): not listed, as an object store's listing would not
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list files under " + prefix, e);
    }
    return files;
  }

  @Override
  public void deletePrefix(String prefix) {
    List<String> locations = new ArrayList<>();
    listPrefix(prefix).forEach(file -> locations.add(file.location()));
    deleteFiles(locations);
  }

  /** The local path of a location this FileIO reads and writes. */
  public Path pathOf(String location) {
    return toPath(location);
  }

  /**
   * Makes an existing local file the file at {@code location} without copying its bytes when both
   * are on one file system: the file is forced to disk, then linked into place (failing if the
   * location exists) and the source name removed. Across file systems its bytes are copied.
   *
   * @param source a local file, which no longer exists under its own name afterwards
   * @param location where it goes
   * @return the file's size in bytes
   * @throws AlreadyExistsException when a file exists at {@code location}
   */
  public long adopt(Path source, String location) {
    Path target = toPath(location);
    try {
      try (FileChannel channel = FileChannel.open(source, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      long size = Files.size(source);
      Files.createDirectories(target.toAbsolutePath().getParent());
      try {
        Files.createLink(target, source);
        Files.delete(source);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "File already exists: %s", location);
      } catch (IOException | UnsupportedOperationException e) {
        // another file system, or no hard links: copy through the atomic writer
        try (InputStream in = Files.newInputStream(source);
            OutputStream out = newOutputFile(location).create()) {
          in.transferTo(out);
        }
        Files.delete(source);
        return size;
      }
      LocalOutputFile.syncDirectory(target.toAbsolutePath().getParent());
      return size;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot move " + source + " into place at " + location, e);
    }
  }

  /** The location of {@code file}, in the same form (path or URI) as the listed prefix. */
  private static String locationOf(String prefix, String rootText, Path file) {
    String suffix = file.toString().substring(rootText.length());
    return prefix + suffix;
  }

  static Path toPath(String location) {
    if (location == null || location.isEmpty()) {
      throw new IllegalArgumentException("Invalid location: null or empty");
    }
    if (location.startsWith("file:")) {
      try {
        return Paths.get(URI.create(location));
      } catch (IllegalArgumentException e) {
        // not a well-formed URI (spaces, for example): take the text after the scheme
        String path = location.substring("file:".length());
        while (path.startsWith("//")) {
          path = path.substring(1);
        }
        return Paths.get(path);
      }
    }
    if (location.contains("://")) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot use %s with LocalFileIO: only local paths and file: URIs are supported; set"
                  + " io-impl to a FileIO for that scheme (S3FileIO for s3://)",
              location));
    }
    return Paths.get(location);
  }

  static boolean exists(Path path) {
    return Files.exists(path);
  }

  static long length(String location, Path path) {
    try {
      return Files.size(path);
    } catch (NoSuchFileException e) {
      throw new org.apache.iceberg.exceptions.NotFoundException(
          e, "File does not exist: %s", location);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the length of " + location, e);
    }
  }
}
