package io.icecap.catalog.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * A local file to write. Bytes go to a hidden temporary file beside the target; on close they are
 * forced to disk and the temporary file takes the target's name in one atomic step.
 */
final class LocalOutputFile implements OutputFile {
  private final String location;
  private final Path path;

  LocalOutputFile(String location, Path path) {
    this.location = location;
    this.path = path;
  }

  @Override
  public PositionOutputStream create() {
    if (Files.exists(path)) {
      throw new AlreadyExistsException("File already exists: %s", location);
    }
    return open(false);
  }

  @Override
  public PositionOutputStream createOrOverwrite() {
    return open(true);
  }

  private PositionOutputStream open(boolean overwrite) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = parent.resolve("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
      FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new Stream(channel, temp, overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create file " + location, e);
    }
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public InputFile toInputFile() {
    return new LocalInputFile(location, path, -1);
  }

  @Override
  public String toString() {
    return location;
  }

  private final class Stream extends PositionOutputStream {
    private final FileChannel channel;
    private final Path temp;
    private final boolean overwrite;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long position;
    private boolean closed;

    Stream(FileChannel channel, Path temp, boolean overwrite) {
      this.channel = channel;
      this.temp = temp;
      this.overwrite = overwrite;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > buffer.remaining()) {
        drain();
      }
      if (len > buffer.capacity()) {
        ByteBuffer direct = ByteBuffer.wrap(b, off, len);
        while (direct.hasRemaining()) {
          channel.write(direct);
        }
      } else {
        buffer.put(b, off, len);
      }
      position += len;
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    private void drain() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        drain();
        channel.force(true);
      } finally {
        channel.close();
      }
      try {
        if (overwrite) {
          Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
        } else {
          // a hard link fails if the target exists, so two writers cannot both create it
          Files.createLink(path, temp);
          Files.delete(temp);
        }
        syncDirectory(path.toAbsolutePath().getParent());
      } catch (FileAlreadyExistsException e) {
        Files.deleteIfExists(temp);
        throw new AlreadyExistsException(e, "File already exists: %s", location);
      } catch (IOException | UnsupportedOperationException e) {
        Files.deleteIfExists(temp);
        throw new IOException("Cannot move the written bytes into place at " + location, e);
      }
    }
  }

  static void syncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the file itself is synced already
    }
  }
}
