package io.icecap.catalog.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;

/** A local file to read, by position. */
final class LocalInputFile implements InputFile {
  private final String location;
  private final Path path;
  private long length;

  LocalInputFile(String location, Path path, long length) {
    this.location = location;
    this.path = path;
    this.length = length;
  }

  @Override
  public long getLength() {
    if (length < 0) {
      length = LocalFileIO.length(location, path);
    }
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    try {
      return new Stream(FileChannel.open(path, StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      throw new NotFoundException(e, "Failed to open input stream for file: %s", location);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to open input stream for file: " + location, e);
    }
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public boolean exists() {
    return LocalFileIO.exists(path);
  }

  @Override
  public String toString() {
    return location;
  }

  private static final class Stream extends SeekableInputStream implements RangeReadable {
    private final FileChannel channel;
    private final ByteBuffer one = ByteBuffer.allocate(1);

    Stream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new EOFException("Cannot seek to negative position " + newPos);
      }
      channel.position(newPos);
    }

    @Override
    public int read() throws IOException {
      one.clear();
      int n = channel.read(one);
      return n <= 0 ? -1 : one.get(0) & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      long size = channel.size();
      long pos = channel.position();
      long skipped = Math.max(0, Math.min(n, size - pos));
      channel.position(pos + skipped);
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - channel.position()));
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
      ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
      long at = position;
      while (target.hasRemaining()) {
        int n = channel.read(target, at);
        if (n < 0) {
          throw new EOFException(
              "Reached the end of the file before reading " + length + " bytes at " + position);
        }
        at += n;
      }
    }

    @Override
    public int readTail(byte[] buffer, int offset, int length) throws IOException {
      long size = channel.size();
      int n = (int) Math.min(length, size);
      readFully(size - n, buffer, offset, n);
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
