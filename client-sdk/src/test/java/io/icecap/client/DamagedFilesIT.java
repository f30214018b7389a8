package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file of the table that is truncated, overwritten with something that is not Parquet, or
 * gone: a query fails with STORAGE_ERROR naming the file, and reads again once the file is back.
 */
class DamagedFilesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;
  private Path file;
  private byte[] original;

  @BeforeEach
  void setUp() throws Exception {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA s");
    session.execute("CREATE TABLE s.items (id BIGINT NOT NULL, name VARCHAR)");
    session.execute("INSERT INTO s.items SELECT range, 'n' || range FROM range(1000)");
    List<Path> files;
    try (var paths = Files.walk(warehouse.resolve("s").resolve("items").resolve("data"))) {
      files = paths.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertThat(files).hasSize(1);
    file = files.get(0);
    original = Files.readAllBytes(file);
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void aTruncatedFileIsAStorageErrorNamingIt() throws Exception {
    Files.write(file, java.util.Arrays.copyOf(original, original.length / 2));
    assertStorageError();
  }

  @Test
  void aFileThatIsNotParquetIsAStorageErrorNamingIt() throws Exception {
    byte[] garbage = new byte[original.length];
    java.util.Arrays.fill(garbage, (byte) 'x');
    Files.write(file, garbage);
    assertStorageError();
  }

  @Test
  void aMissingFileIsAStorageErrorNamingIt() throws Exception {
    Files.delete(file);
    assertStorageError();
  }

  private void assertStorageError() throws Exception {
    assertThatThrownBy(() -> session.query("SELECT count(*) FROM s.items").close())
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR))
        .hasMessageContaining(file.getFileName().toString());
    Files.write(file, original);
    try (ResultSet rows = session.query("SELECT count(*) FROM s.items")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(1000);
    }
  }
}
