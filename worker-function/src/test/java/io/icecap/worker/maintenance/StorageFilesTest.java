package io.icecap.worker.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.io.LocalFileIO;
import io.icecap.worker.JobFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFilesTest {
  @TempDir Path dir;

  @Test
  void locationsOfOneFileInSeveralFormsHaveOneKey() {
    assertThat(StorageFiles.key("file:/w/t/data/a.parquet")).isEqualTo("/w/t/data/a.parquet");
    assertThat(StorageFiles.key("file:///w/t//data/a.parquet")).isEqualTo("/w/t/data/a.parquet");
    assertThat(StorageFiles.key("/w/t//data/a.parquet")).isEqualTo("/w/t/data/a.parquet");
    assertThat(StorageFiles.key("s3a://b/w/t/a.parquet")).isEqualTo("s3://b/w/t/a.parquet");
    assertThat(StorageFiles.key("s3://b/w//t/a.parquet")).isEqualTo("s3://b/w/t/a.parquet");
    assertThat(StorageFiles.key("s3://other/w/t/a.parquet")).isNotEqualTo("s3://b/w/t/a.parquet");
  }

  @Test
  void listingKeepsOnlyTheDirectoryAndNamesFilesAsTheMetadataDoes() throws Exception {
    Files.createDirectories(dir.resolve("t/data"));
    Files.createDirectories(dir.resolve("t2"));
    Files.writeString(dir.resolve("t/data/a.parquet"), "a");
    Files.writeString(dir.resolve("t2/b.parquet"), "b");
    List<FileInfo> files =
        StorageFiles.list(
            new LocalFileIO(),
            "db.t",
            dir.resolve("t") + "/",
            MaintenanceTask.ORPHANS,
            MaintenanceProgress.NONE);
    assertThat(files).extracting(FileInfo::location).containsExactly(dir + "/t/data/a.parquet");
  }

  @Test
  void aFileIoWithoutPrefixListingIsAClearError() {
    assertThatThrownBy(
            () ->
                StorageFiles.list(
                    new PlainFileIO(),
                    "db.t",
                    "/w/t/",
                    MaintenanceTask.ORPHANS,
                    MaintenanceProgress.NONE))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("db.t")
        .hasMessageContaining("cannot list files by prefix")
        .hasMessageContaining(PlainFileIO.class.getName());
  }

  @Test
  void onlyJobFileNamesCarryAToken() {
    String uuid = UUID.randomUUID().toString();
    assertThat(JobFiles.token("s3://b/t/data/day=1/17-" + uuid + ".parquet")).hasValue(17);
    assertThat(JobFiles.token("/t/icecap/duckdb/day=1/3-" + uuid + ".duckdb")).hasValue(3);
    assertThat(JobFiles.token("/t/icecap/duckdb/" + uuid + ".duckdb")).isEmpty();
    assertThat(JobFiles.token("/t/icecap/duckdb/12345678-1234-1234-1234-123456789abc.duckdb"))
        .as("a UUID whose first group is digits is no token")
        .isEmpty();
    assertThat(JobFiles.token("/t/data/00000-0-" + uuid + "-0-00001.parquet")).isEmpty();
    assertThat(JobFiles.token("/t/data/99999999999999999999-" + uuid + ".parquet")).isEmpty();
  }

  /** A FileIO with no prefix listing. */
  private static final class PlainFileIO implements FileIO {
    @Override
    public InputFile newInputFile(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public OutputFile newOutputFile(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteFile(String path) {}

    @Override
    public Map<String, String> properties() {
      return Map.of();
    }
  }
}
