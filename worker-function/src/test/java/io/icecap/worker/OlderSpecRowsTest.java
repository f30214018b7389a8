package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.txn.record.PartitionValues;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which current partitions the rows of older-spec files fall into, when the files' own partition
 * values say it: those files are not read (here they do not even exist).
 */
class OlderSpecRowsTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "day", Types.DateType.get()));

  @TempDir Path work;
  private InMemoryCatalog catalog;
  private Table table;

  @BeforeEach
  void setUp() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(Namespace.of("db"));
    table =
        catalog.createTable(
            TableIdentifier.of("db", "t"),
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).identity("day").bucket("id", 4).build());
  }

  @AfterEach
  void tearDown() throws Exception {
    catalog.close();
  }

  @Test
  void aRemovedFieldLeavesTheFilesPartitionsToSayWhereTheirRowsGo() {
    PartitionSpec older = table.spec();
    DataFile first = missingFile(older, "day=2026-11-20/id_bucket=1");
    DataFile second = missingFile(older, "day=2026-11-20/id_bucket=3");
    DataFile third = missingFile(older, "day=2026-11-21/id_bucket=1");
    table.updateSpec().removeField(Expressions.bucket("id", 4)).commit();

    List<PartitionData> partitions =
        OlderSpecRows.partitions(table, List.of(first, second, third), work);

    assertThat(partitions)
        .extracting(p -> PartitionValues.key(table.spec(), p))
        .containsExactly("day=2026-11-20", "day=2026-11-21");
  }

  @Test
  void anAddedFieldNeedsTheRowsAndAMissingFileSaysWhichItIs() {
    DataFile file = missingFile(table.spec(), "day=2026-11-20/id_bucket=1");
    table.updateSpec().addField(Expressions.truncate("id", 10)).commit();

    assertThatThrownBy(() -> OlderSpecRows.partitions(table, List.of(file), work))
        .hasMessageContaining(file.location());
  }

  @Test
  void aMissingOrcFileOfAnOlderSpecSaysWhichItIs() {
    DataFile file = missingFile(table.spec(), "day=2026-11-20/id_bucket=1", FileFormat.ORC);
    table.updateSpec().addField(Expressions.truncate("id", 10)).commit();

    assertThatThrownBy(() -> OlderSpecRows.partitions(table, List.of(file), work))
        .hasMessageContaining(table.name())
        .hasMessageContaining(file.location())
        .hasMessageContaining("missing");
  }

  private static DataFile missingFile(PartitionSpec spec, String partition) {
    return missingFile(spec, partition, FileFormat.PARQUET);
  }

  private static DataFile missingFile(PartitionSpec spec, String partition, FileFormat format) {
    return DataFiles.builder(spec)
        .withPath("/nowhere/" + partition.replace('/', '-') + "." + format.name().toLowerCase())
        .withFormat(format)
        .withPartitionPath(partition)
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }
}
