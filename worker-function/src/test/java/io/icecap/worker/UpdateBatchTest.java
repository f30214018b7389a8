package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateBatchTest {
  @Test
  void keyedUpdatesBecomeOneJoin() {
    UpdateBatch.Shape shape =
        UpdateBatch.shapeOf(
            "UPDATE rows AS \"items\" SET v = v + ?, s = ? WHERE id = ? AND (part = ?)");
    assertThat(shape).isNotNull();
    assertThat(shape.keys()).containsExactly(2, 3);
    assertThat(shape.parameters()).isEqualTo(4);
    assertThat(shape.update())
        .isEqualTo(
            "UPDATE rows AS \"items\" SET v = v + icecap_b.icecap_p0, s = icecap_b.icecap_p1"
                + " FROM icecap_batch AS icecap_b WHERE id = icecap_b.icecap_p2 AND (part ="
                + " icecap_b.icecap_p3)");
    assertThat(shape.count())
        .isEqualTo(
            "SELECT icecap_b.icecap_idx, count(*) FROM rows AS \"items\", icecap_batch AS"
                + " icecap_b WHERE id = icecap_b.icecap_p2 AND (part = icecap_b.icecap_p3)"
                + " GROUP BY ALL");
    assertThat(shape.pendingUpdate())
        .isEqualTo(
            "UPDATE icecap_pending AS \"items\" SET v = v + icecap_b.icecap_p0, s ="
                + " icecap_b.icecap_p1 FROM icecap_batch AS icecap_b WHERE id = icecap_b.icecap_p2"
                + " AND (part = icecap_b.icecap_p3) AND \"items\".icecap_seq <"
                + " icecap_b.icecap_seq");
    assertThat(shape.pendingCount())
        .isEqualTo(
            "SELECT icecap_b.icecap_idx, count(*) FROM icecap_pending AS \"items\", icecap_batch"
                + " AS icecap_b WHERE (id = icecap_b.icecap_p2 AND (part = icecap_b.icecap_p3))"
                + " AND \"items\".icecap_seq < icecap_b.icecap_seq GROUP BY ALL");
  }

  @Test
  void insertsOfParametersOnlyBecomeOneInsertOfTheirRows() {
    InsertBatch.Shape positional =
        InsertBatch.shapeOf("INSERT INTO icecap_insert VALUES (?, ?, ?), (?, ?, ?)");
    assertThat(positional).isNotNull();
    assertThat(positional.width()).isEqualTo(3);
    assertThat(positional.insert())
        .isEqualTo(
            "INSERT INTO icecap_pending SELECT icecap_p0, icecap_p1, icecap_p2, icecap_seq FROM ");
    InsertBatch.Shape named =
        InsertBatch.shapeOf("INSERT INTO icecap_insert (id, \"Name\") VALUES (?, ?)");
    assertThat(named).isNotNull();
    assertThat(named.insert())
        .isEqualTo(
            "INSERT INTO icecap_pending (\"id\", \"Name\", icecap_seq) SELECT icecap_p0,"
                + " icecap_p1, icecap_seq FROM ");
  }

  @Test
  void otherInsertsAreAddedByRunningThem() {
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert VALUES (?, ? + 1)")).isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert VALUES (1, 2)")).isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert SELECT ?, 2")).isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert (a) VALUES (?, ?)"))
        .as("more values than columns")
        .isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO rows VALUES (?, ?)"))
        .as("only the staging table")
        .isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert VALUES ($1, $2)")).isNull();
    assertThat(InsertBatch.shapeOf("UPDATE rows SET v = ? WHERE id = ?")).isNull();
    assertThat(InsertBatch.shapeOf("INSERT INTO icecap_insert VALUES (?, ?")).isNull();
  }

  @Test
  void otherShapesAreAppliedOneAtATime() {
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id > ?")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = ? OR id = 3")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = ? AND v % 2 = 0")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE id = 7")).isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET id = ? WHERE id = ?"))
        .as("a key that changes would let later records see earlier ones")
        .isNull();
    assertThat(UpdateBatch.shapeOf("UPDATE rows SET v = ?")).isNull();
    assertThat(UpdateBatch.shapeOf("DELETE FROM rows WHERE id = ?")).isNull();
    assertThat(UpdateBatch.shapeOf("not sql at all")).isNull();
  }

  private static String parameterTable(UpdateBatch.Shape shape, List<List<String>> rows) {
    ParameterTable table =
        new ParameterTable(shape.parameters(), List.of("icecap_idx", "icecap_gen"));
    for (int i = 0; i < rows.size(); i++) {
      table.add(rows.get(i), i, i);
    }
    return table.query();
  }

  @Test
  void parameterTablesKeepEveryValueExactly() throws Exception {
    UpdateBatch.Shape shape =
        UpdateBatch.shapeOf("UPDATE rows SET s = ?, t = ?, d = ?, b = ? WHERE id = ?");
    List<List<String>> rows =
        List.of(
            List.of(
                "'it''s, \"quoted\" \u00e9'",
                "TIMESTAMP '2026-11-21 10:00:00.000001'",
                "CAST('1.50' AS DECIMAL(3, 2))",
                "'\\x00\\xFF'::BLOB",
                "CAST(1 AS BIGINT)"),
            List.of("NULL", "NULL", "CAST('12.25' AS DECIMAL(4, 2))", "NULL", "CAST(2 AS BIGINT)"));
    for (boolean mixed : List.of(false, true)) {
      List<List<String>> input = mixed ? rows : List.of(rows.get(0));
      try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
          Statement statement = duckdb.createStatement();
          ResultSet result =
              statement.executeQuery(parameterTable(shape, input) + " ORDER BY icecap_idx")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getInt("icecap_gen")).isZero();
        assertThat(result.getString("icecap_p0")).isEqualTo("it's, \"quoted\" \u00e9");
        assertThat(result.getString("icecap_p1")).isEqualTo("2026-11-21 10:00:00.000001");
        assertThat(result.getBigDecimal("icecap_p2")).isEqualByComparingTo("1.50");
        assertThat(result.getBytes("icecap_p3")).containsExactly(0, 255);
        assertThat(result.getLong("icecap_p4")).isEqualTo(1L);
        if (mixed) {
          assertThat(result.next()).isTrue();
          assertThat(result.getInt("icecap_gen")).isOne();
          assertThat(result.getString("icecap_p0")).isNull();
          assertThat(result.getBigDecimal("icecap_p2")).isEqualByComparingTo("12.25");
        }
        assertThat(result.next()).isFalse();
      }
    }
  }
}
