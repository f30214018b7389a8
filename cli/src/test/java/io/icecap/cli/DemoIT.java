package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** README's first command keeps working: the demo runs end to end on the embedded defaults. */
class DemoIT {
  @Test
  void demoRunsEndToEnd() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Icecap.run(
            new String[] {"demo"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text)
        .contains("Created table shop.orders, partitioned by day(ordered_at)")
        .contains("INSERT: 3 rows, applied and in a snapshot")
        .contains("200 single-row INSERTs acknowledged")
        .contains("UPDATE: 1 row\n")
        .contains("DELETE: 29 rows")
        .contains(
            "Refused at submit, nothing appended: Cannot write to icecap.shop.orders: random()")
        .contains(" 2026-11-18 |     59 | 1519.43")
        .contains("Time travel to the first snapshot")
        .contains("        3 | cy       |   7.25\n(3 rows)")
        .contains("Icecap query: 174 rows, amount 4452.54")
        .contains(
            "Plain DuckDB read_parquet over the table's 3 Parquet files: 174 rows, amount 4452.54"
                + " -> the same")
        .contains("203 acknowledged transactions became");
  }
}
