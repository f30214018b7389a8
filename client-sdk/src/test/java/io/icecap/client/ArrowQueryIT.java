package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Query results as Arrow record batches, through the public API. */
class ArrowQueryIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;
  private BufferAllocator allocator;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    allocator = new RootAllocator();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA a");
    session.execute(
        "CREATE TABLE a.sales (id BIGINT NOT NULL, item VARCHAR, price DECIMAL(10, 2),"
            + " day DATE NOT NULL) PARTITIONED BY (month(day))");
    session.execute(
        "INSERT INTO a.sales VALUES (1, 'tea', 2.50, DATE '2026-10-01'),"
            + " (2, 'cake', 4.25, DATE '2026-10-15'), (3, NULL, 1.00, DATE '2026-11-02'),"
            + " (4, 'jam', 3.75, DATE '2026-11-20'), (5, 'bread', 2.00, DATE '2026-11-21')");
  }

  @AfterEach
  void close() {
    session.close();
    allocator.close();
  }

  @Test
  void rowsArriveInBatchesWithTheirTypes() throws Exception {
    List<String> rows = new ArrayList<>();
    int batches = 0;
    try (ArrowReader reader =
        session.queryArrow(
            allocator, 2, "SELECT id, item, price, day FROM a.sales WHERE id > ? ORDER BY id", 0)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Schema schema = root.getSchema();
      assertThat(schema.getFields())
          .extracting(f -> f.getName())
          .containsExactly("id", "item", "price", "day");
      while (reader.loadNextBatch()) {
        batches++;
        assertThat(root.getRowCount()).isBetween(1, 2);
        BigIntVector id = (BigIntVector) root.getVector("id");
        VarCharVector item = (VarCharVector) root.getVector("item");
        DecimalVector price = (DecimalVector) root.getVector("price");
        DateDayVector day = (DateDayVector) root.getVector("day");
        for (int i = 0; i < root.getRowCount(); i++) {
          rows.add(
              id.get(i)
                  + "|"
                  + (item.isNull(i) ? "null" : new String(item.get(i)))
                  + "|"
                  + price.getObject(i)
                  + "|"
                  + LocalDate.ofEpochDay(day.get(i)));
        }
      }
    }
    assertThat(batches).isEqualTo(3);
    assertThat(rows)
        .containsExactly(
            "1|tea|2.50|2026-10-01",
            "2|cake|4.25|2026-10-15",
            "3|null|1.00|2026-11-02",
            "4|jam|3.75|2026-11-20",
            "5|bread|2.00|2026-11-21");
    assertThat(allocator.getAllocatedMemory()).as("every buffer released").isZero();
  }

  @Test
  void anAggregateOverOnePartitionAndTheSessionAfterwards() throws Exception {
    try (ArrowReader reader =
        session.queryArrow(
            allocator, "SELECT sum(price) AS total FROM a.sales WHERE day >= DATE '2026-11-01'")) {
      assertThat(reader.loadNextBatch()).isTrue();
      DecimalVector total = (DecimalVector) reader.getVectorSchemaRoot().getVector("total");
      assertThat(total.getObject(0)).isEqualByComparingTo(new BigDecimal("6.75"));
      assertThat(reader.loadNextBatch()).isFalse();
    }
    try (ResultSet rows = session.query("SELECT count(*) FROM a.sales")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(5);
    }
  }

  @Test
  void badInputIsACodedErrorAndTheSessionStaysUsable() throws Exception {
    assertThatThrownBy(() -> session.queryArrow(allocator, "SELEC 1"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR));
    assertThatThrownBy(() -> session.queryArrow(allocator, "SELECT * FROM a.nothing"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE));
    assertThatThrownBy(() -> session.queryArrow(allocator, 0, "SELECT 1"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
        .hasMessageContaining("batchRows must be positive");
    assertThatThrownBy(() -> session.queryArrow(null, "SELECT 1"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("allocator");
    try (ArrowReader reader = session.queryArrow(allocator, "SELECT count(*) AS n FROM a.sales")) {
      assertThat(reader.loadNextBatch()).isTrue();
      assertThat(((BigIntVector) reader.getVectorSchemaRoot().getVector("n")).get(0)).isEqualTo(5);
    }
    session.close();
    assertThatThrownBy(() -> session.queryArrow(allocator, "SELECT 1"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_CLOSED));
  }
}
