package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    assertThat(shape.update(UpdateBatch.TABLE))
        .isEqualTo(
            "UPDATE rows AS \"items\" SET v = v + icecap_b.icecap_p0, s = icecap_b.icecap_p1"
                + " FROM icecap_batch AS icecap_b WHERE id = icecap_b.icecap_p2 AND (part ="
                + " icecap_b.icecap_p3)");
    assertThat(shape.count(UpdateBatch.TABLE))
        .isEqualTo(
            "SELECT icecap_b.icecap_idx, count(*) FROM rows AS \"items\", icecap_batch AS"
                + " icecap_b WHERE id = icecap_b.icecap_p2 AND (part = icecap_b.icecap_p3)"
                + " GROUP BY ALL");
    assertThat(shape.pendingUpdate(UpdateBatch.TABLE))
        .isEqualTo(
            "UPDATE icecap_pending AS \"items\" SET v = v + icecap_b.icecap_p0, s ="
                + " icecap_b.icecap_p1 FROM icecap_batch AS icecap_b WHERE id = icecap_b.icecap_p2"
                + " AND (part = icecap_b.icecap_p3) AND \"items\".icecap_seq <"
                + " icecap_b.icecap_seq");
    assertThat(shape.pendingCount(UpdateBatch.TABLE))
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

  @Test
  void keysAreInColumnOrderSoTemplatesOnTheSameColumnsCompare() {
    UpdateBatch.Shape one = UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE part = ? AND id = ?");
    UpdateBatch.Shape other =
        UpdateBatch.shapeOf("UPDATE rows SET s = ? WHERE \"ID\" = ? AND Part = ?");
    assertThat(one.keys()).containsExactly(2, 1);
    assertThat(one.keyColumns()).containsExactly("id", "part");
    assertThat(other.keys()).containsExactly(1, 2);
    assertThat(other.keyColumns()).isEqualTo(one.keyColumns());
  }

  @Test
  void integerKeysAreReadOnlyFromIntegerLiterals() {
    UpdateBatch.Shape shape =
        UpdateBatch.shapeOf("UPDATE rows SET v = ? WHERE part = ? AND id = ?");
    assertThat(
            UpdateBatch.integerKey(
                shape,
                List.of("'x'", "CAST(-7 AS INTEGER)", "CAST('123456789012345678901' AS HUGEINT)")))
        .containsExactly(new BigInteger("123456789012345678901"), BigInteger.valueOf(-7));
    assertThat(
            UpdateBatch.integerKey(
                shape, List.of("NULL", "CAST(007 AS SMALLINT)", "CAST(5 AS BIGINT)")))
        .containsExactly(BigInteger.valueOf(5), BigInteger.valueOf(7));
    for (String notAnInteger :
        List.of(
            "'5'",
            "NULL",
            "CAST('1.5' AS DECIMAL(2, 1))",
            "CAST('5' AS DOUBLE)",
            "CAST('5 AS BIGINT)",
            "CAST(5 AS BIGINT) + 1",
            "CAST(5 AS BIGINT) + CAST(1 AS BIGINT)",
            "CAST( AS BIGINT)",
            "CAST(- AS INTEGER)",
            "CAST('' AS HUGEINT)",
            "CAST(1e3 AS BIGINT)",
            "CAST(1 AS BIGINT)) OR (1")) {
      assertThat(UpdateBatch.integerKey(shape, List.of("NULL", "CAST(1 AS INTEGER)", notAnInteger)))
          .as(notAnInteger)
          .isNull();
    }
  }

  /**
   * Updates of three templates on the same integer key columns, with repeated keys, keys that match
   * nothing and rows inserted earlier in the run, give the same rows and counts as the same
   * statements run one after the other.
   */
  @Test
  void integerKeyedRunsOfSeveralTemplatesMatchOneAtATime() throws Exception {
    List<String> templates =
        List.of(
            "UPDATE rows SET v = v + ? WHERE id = ? AND part = ?",
            "UPDATE rows AS r SET s = ?, v = v * 2 WHERE part = ? AND r.id = ?",
            "UPDATE rows SET s = s || ? WHERE (ID = ?) AND part = ?");
    Random random = new Random(7);
    List<UpdateBatch.Shape> shapes = new ArrayList<>();
    List<List<String>> parameters = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    List<String> statements = new ArrayList<>();
    // pending rows: ids 100-104 inserted by records 10, 20, ...
    Map<Long, String> inserts = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) {
      inserts.put(10L * (i + 1), "(" + (100 + i) + ", 1, 0, 'p')");
    }
    for (int i = 0; i < 300; i++) {
      long sequence = i + 1;
      if (inserts.containsKey(sequence)) {
        continue;
      }
      int template = random.nextInt(3);
      String id =
          "CAST("
              + (random.nextInt(10) == 0 ? 100 + random.nextInt(6) : random.nextInt(30))
              + " AS BIGINT)";
      String part = "CAST(" + random.nextInt(2) + " AS INTEGER)";
      String value =
          template == 1
              ? "'s" + random.nextInt(5) + "'"
              : template == 0 ? "CAST(" + random.nextInt(9) + " AS BIGINT)" : "'x'";
      List<String> literals = template == 1 ? List.of(value, part, id) : List.of(value, id, part);
      shapes.add(UpdateBatch.shapeOf(templates.get(template)));
      parameters.add(literals);
      sequences.add(sequence);
      String sql = templates.get(template);
      for (String literal : literals) {
        sql = sql.replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(literal));
      }
      statements.add(sql);
    }
    String create =
        "CREATE TABLE rows AS SELECT range AS id, (range % 2)::INTEGER AS part,"
            + " range AS v, 'r' || range AS s FROM range(30)";
    try (Connection batch = DriverManager.getConnection("jdbc:duckdb:");
        Connection reference = DriverManager.getConnection("jdbc:duckdb:");
        Statement b = batch.createStatement();
        Statement r = reference.createStatement()) {
      b.execute(create);
      r.execute(create);
      PendingRows.create(batch);
      inserts.forEach(
          (sequence, row) -> {
            try {
              b.execute(
                  "INSERT INTO icecap_pending VALUES " + row.replace(")", ", " + sequence + ")"));
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          });
      long[] counts = UpdateBatch.runKeyed(b, shapes, parameters, sequences, true);

      List<Long> expected = new ArrayList<>();
      int next = 0;
      for (long sequence = 1; sequence <= 300; sequence++) {
        if (inserts.containsKey(sequence)) {
          r.execute("INSERT INTO rows VALUES " + inserts.get(sequence));
        } else {
          expected.add(r.executeLargeUpdate(statements.get(next++)));
        }
      }
      assertThat(counts).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
      assertThat(expected.stream().filter(c -> c == 0).count())
          .as("keys that match nothing")
          .isPositive();
      assertThat(
              rows(
                  b,
                  "SELECT * FROM rows UNION ALL SELECT * EXCLUDE (icecap_seq) FROM icecap_pending"))
          .isEqualTo(rows(r, "SELECT * FROM rows"));
    }
  }

  private static List<String> rows(Statement sql, String query) throws Exception {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = sql.executeQuery("SELECT * FROM (" + query + ") ORDER BY ALL")) {
      while (result.next()) {
        rows.add(
            result.getLong(1)
                + ","
                + result.getInt(2)
                + ","
                + result.getLong(3)
                + ","
                + result.getString(4));
      }
    }
    return rows;
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
