package io.icecap.txn.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.txn.SqlStatement;
import io.icecap.txn.TransactionRejectedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write's target text names the transaction's table: by its name alone, with its namespace (one
 * or more levels), or with the catalog's name (in any case) before; other names are refused, names
 * that differ only in case included, since the catalog keeps them apart.
 */
class TargetNameTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.optional(1, "id", Types.IntegerType.get()),
          Types.NestedField.optional(2, "v", Types.StringType.get()),
          Types.NestedField.optional(3, "V", Types.StringType.get()));

  @TempDir Path dir;
  private InMemoryCatalog catalog;
  private TransactionValidator validator;

  @BeforeEach
  void setUp() {
    catalog = new InMemoryCatalog();
    catalog.initialize(
        "icecap", Map.of(CatalogProperties.WAREHOUSE_LOCATION, dir.resolve("lake").toString()));
    catalog.createNamespace(Namespace.of("a"));
    catalog.createNamespace(Namespace.of("a", "b"));
    catalog.createNamespace(Namespace.of("we.ird"));
    validator = new TransactionValidator(dir.resolve("staging"), ValidationLimits.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    validator.close();
    catalog.close();
  }

  private Table table(Namespace namespace, String name) {
    return catalog.createTable(
        TableIdentifier.of(namespace, name), new Schema(SCHEMA.columns().subList(0, 2)));
  }

  private void write(Table table, String sql) {
    validator.validate(table, "txn", List.of(new SqlStatement(sql, List.of())));
  }

  @Test
  void aNestedTableIsNamedWithItsLevelsAndMaybeTheCatalog() {
    Table nested = table(Namespace.of("a", "b"), "Events");
    for (String name :
        List.of("Events", "b.Events", "a.b.\"Events\"", "icecap.a.b.Events", "ICECAP.a.b.Events")) {
      write(nested, "INSERT INTO " + name + " VALUES (1, 'x')");
    }
    for (String name : List.of("events", "A.b.Events", "a.B.Events", "x.a.b.Events", "c.Events")) {
      assertThatThrownBy(() -> write(nested, "INSERT INTO " + name + " VALUES (1, 'x')"))
          .as(name)
          .isInstanceOf(TransactionRejectedException.class)
          .hasMessageContaining("a transaction writes one table, icecap.a.b.Events");
    }
  }

  @Test
  void aNameWithDotsAndQuotesIsNamedQuoted() {
    Table weird = table(Namespace.of("we.ird"), "ta\"ble");
    write(weird, "UPDATE \"we.ird\".\"ta\"\"ble\" SET v = 'y' WHERE id = 1");
    write(weird, "DELETE FROM icecap.\"we.ird\".\"ta\"\"ble\"");
  }

  @Test
  void aTableWhoseColumnsDifferOnlyInCaseIsRefusedWithTheirNames() {
    Table clash = catalog.createTable(TableIdentifier.of("a", "clash"), SCHEMA);
    assertThatThrownBy(() -> write(clash, "INSERT INTO a.clash VALUES (1, 'x', 'y')"))
        .isInstanceOf(TransactionRejectedException.class)
        .hasMessageContaining("columns v and V differ only in case");
    assertThat(catalog.tableExists(TableIdentifier.of("a", "clash"))).isTrue();
  }
}
