package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table Icecap creates keeps a bounded number of metadata files however many checkpoints commit:
 * each commit rewrites the table's metadata file, and without the table properties Icecap sets,
 * every one of them stayed (1,001 files after 1,000 single-row writes).
 */
class MetadataFilesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final TableIdentifier EVENTS = TableIdentifier.of("s", "events");

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA s");
    session.execute("CREATE TABLE s.events (id BIGINT, v VARCHAR)");
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void tablesIcecapCreatesDeleteTheMetadataFilesThatLeaveTheMetadataLog() throws IOException {
    Table table = session.catalog().loadTable(EVENTS);
    assertThat(TableUtil.formatVersion(table)).isEqualTo(2);
    assertThat(table.properties())
        .containsEntry(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true")
        .containsEntry(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "100");
    // a smaller log than the default, so that a few checkpoints pass it
    table.updateProperties().set(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "3").commit();

    for (int i = 0; i < 12; i++) {
      session.execute("INSERT INTO s.events VALUES (" + i + ", 'v" + i + "')");
    }

    assertThat(count()).isEqualTo(12);
    table.refresh();
    assertThat(table.snapshots()).hasSize(12);
    assertThat(metadataFiles(table)).hasSize(4); // the current file and the 3 before it
    assertThat(((HasTableOperations) table).operations().current().previousFiles()).hasSize(3);
  }

  @Test
  void aTableWhosePropertyIsTurnedOffKeepsEveryMetadataFile() throws IOException {
    Table table = session.catalog().loadTable(EVENTS);
    table
        .updateProperties()
        .set(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "false")
        .set(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "3")
        .commit();
    long before = metadataFiles(table).count();

    for (int i = 0; i < 5; i++) {
      session.execute("INSERT INTO s.events VALUES (" + i + ", 'v" + i + "')");
    }

    assertThat(count()).isEqualTo(5);
    assertThat(metadataFiles(table)).hasSize((int) before + 5);
  }

  private long count() {
    try (ResultSet rows = session.query("SELECT count(*) FROM s.events")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static Stream<Path> metadataFiles(Table table) throws IOException {
    Path metadata = Path.of(table.location().replaceFirst("^file:", ""), "metadata");
    try (Stream<Path> files = Files.list(metadata)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".metadata.json"))
          .toList()
          .stream();
    }
  }
}
