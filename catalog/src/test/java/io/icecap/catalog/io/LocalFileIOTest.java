package io.icecap.catalog.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
  @TempDir Path dir;
  private final LocalFileIO io = new LocalFileIO();

  private void write(String location, String text) throws IOException {
    try (PositionOutputStream out = io.newOutputFile(location).create()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void writesReadsAndSeeks() throws IOException {
    String location = dir.resolve("a/b/file.txt").toString();
    write(location, "hello, icecap");

    InputFile in = io.newInputFile(location);
    assertThat(in.exists()).isTrue();
    assertThat(in.getLength()).isEqualTo(13);
    try (SeekableInputStream stream = in.newStream()) {
      stream.seek(7);
      assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("icecap");
      assertThat(stream.getPos()).isEqualTo(13);
      byte[] tail = new byte[6];
      assertThat(((RangeReadable) stream).readTail(tail, 0, 6)).isEqualTo(6);
      assertThat(new String(tail, StandardCharsets.UTF_8)).isEqualTo("icecap");
      byte[] middle = new byte[5];
      ((RangeReadable) stream).readFully(0, middle, 0, 5);
      assertThat(new String(middle, StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void largeWritesKeepTheirOrderAndPosition() throws IOException {
    String location = dir.resolve("big.bin").toString();
    byte[] chunk = new byte[100_000];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    try (PositionOutputStream out = io.newOutputFile(location).create()) {
      out.write(7);
      out.write(chunk);
      out.write(chunk, 10, 20);
      assertThat(out.getPos()).isEqualTo(1 + 100_000 + 20);
    }
    byte[] read = Files.readAllBytes(Path.of(location));
    assertThat(read).hasSize(100_021);
    assertThat(read[0]).isEqualTo((byte) 7);
    assertThat(read[1 + 99_999]).isEqualTo(chunk[99_999]);
    assertThat(read[100_001]).isEqualTo(chunk[10]);
  }

  @Test
  void createRefusesAnExistingFileAndLeavesItIntact() throws IOException {
    String location = dir.resolve("once.json").toString();
    write(location, "first");
    assertThatThrownBy(() -> write(location, "second"))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(location);
    assertThat(Files.readString(Path.of(location))).isEqualTo("first");
  }

  @Test
  void aRaceToCreateHasOneWinner() throws IOException {
    String location = dir.resolve("race.json").toString();
    PositionOutputStream first = io.newOutputFile(location).create();
    PositionOutputStream second = io.newOutputFile(location).create();
    first.write('1');
    second.write('2');
    first.close();
    assertThatThrownBy(second::close).isInstanceOf(AlreadyExistsException.class);
    assertThat(Files.readString(Path.of(location))).isEqualTo("1");
    assertThat(listNames()).containsExactly("race.json");
  }

  @Test
  void overwriteReplaces() throws IOException {
    String location = dir.resolve("over.txt").toString();
    write(location, "old");
    try (PositionOutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write("new".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.readString(Path.of(location))).isEqualTo("new");
  }

  @Test
  void noPartialFileIsVisibleBeforeClose() throws IOException {
    String location = dir.resolve("pending.txt").toString();
    PositionOutputStream out = io.newOutputFile(location).create();
    out.write("partial".getBytes(StandardCharsets.UTF_8));
    out.flush();
    assertThat(io.newInputFile(location).exists()).isFalse();
    out.close();
    assertThat(io.newInputFile(location).exists()).isTrue();
  }

  @Test
  void missingFilesAreNotFoundWithTheirLocation() {
    String location = dir.resolve("missing.json").toString();
    assertThatThrownBy(() -> io.newInputFile(location).newStream())
        .isInstanceOf(NotFoundException.class)
        .hasMessage("Failed to open input stream for file: " + location);
    assertThatThrownBy(() -> io.newInputFile(location).getLength())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(location);
  }

  @Test
  void fileUrisWork() throws IOException {
    String location = dir.resolve("uri.txt").toUri().toString();
    assertThat(location).startsWith("file:");
    write(location, "via uri");
    try (InputStream in = io.newInputFile(location).newStream()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("via uri");
    }
  }

  @Test
  void otherSchemesAreRefusedClearly() {
    assertThatThrownBy(() -> io.newInputFile("s3://bucket/key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set io-impl");
  }

  @Test
  void listsAndDeletesByPrefix() throws IOException {
    write(dir.resolve("t/metadata/1.json").toString(), "1");
    write(dir.resolve("t/data/x=1/a.parquet").toString(), "22");
    write(dir.resolve("other/z.json").toString(), "333");

    List<String> listed = new ArrayList<>();
    long bytes = 0;
    for (FileInfo file : io.listPrefix(dir.resolve("t").toString())) {
      listed.add(file.location());
      bytes += file.size();
    }
    assertThat(listed)
        .containsExactlyInAnyOrder(
            dir.resolve("t/metadata/1.json").toString(),
            dir.resolve("t/data/x=1/a.parquet").toString());
    assertThat(bytes).isEqualTo(3);

    io.deletePrefix(dir.resolve("t").toString());
    assertThat(io.listPrefix(dir.resolve("t").toString())).isEmpty();
    assertThat(Files.exists(dir.resolve("other/z.json"))).isTrue();
  }

  @Test
  void adoptMovesAFileIntoPlaceWithoutCopying() throws IOException {
    Path staged = dir.resolve("staging/part.bin");
    Files.createDirectories(staged.getParent());
    Files.writeString(staged, "payload");
    String location = dir.resolve("table/data/x=1/part.bin").toString();

    assertThat(io.adopt(staged, location)).isEqualTo(7);
    assertThat(Files.readString(Path.of(location))).isEqualTo("payload");
    assertThat(staged).doesNotExist();

    Path another = dir.resolve("staging/other.bin");
    Files.writeString(another, "other");
    assertThatThrownBy(() -> io.adopt(another, location))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(location);
    assertThat(Files.readString(Path.of(location))).isEqualTo("payload");
  }

  @Test
  void bulkDeleteDeletesEveryFile() throws IOException {
    write(dir.resolve("1").toString(), "1");
    write(dir.resolve("2").toString(), "2");
    io.deleteFiles(
        List.of(
            dir.resolve("1").toString(),
            dir.resolve("2").toString(),
            dir.resolve("never").toString()));
    assertThat(listNames()).isEmpty();
  }

  private List<String> listNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void aListingWhileFilesAndDirectoriesAreDeletedListsWhatIsLeft() throws Exception {
    // a job deleting the replica it replaced, expiry deleting a manifest: a listing that walks the
    // directory meanwhile leaves the file out instead of failing
    for (int round = 0; round < 20; round++) {
      Path table = Files.createDirectories(dir.resolve("t" + round));
      for (int d = 0; d < 20; d++) {
        Path sub = Files.createDirectories(table.resolve("d" + d));
        for (int f = 0; f < 20; f++) {
          Files.writeString(sub.resolve("f" + f), "x");
        }
      }
      Thread deleter =
          new Thread(
              () -> {
                for (int d = 0; d < 20; d++) {
                  try (Stream<Path> files = Files.list(table.resolve("d" + d))) {
                    for (Path file : files.toList()) {
                      Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(table.resolve("d" + d));
                  } catch (IOException e) {
                    // the directory went away under the listing: so much the better
                  }
                }
              });
      deleter.start();
      List<String> listed = new ArrayList<>();
      io.listPrefix(table.toString()).forEach(file -> listed.add(file.location()));
      deleter.join();
      assertThat(listed).allMatch(location -> location.startsWith(table.toString() + "/"));
      assertThat(io.listPrefix(table.toString())).isEmpty();
    }
  }
}
