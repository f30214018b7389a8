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
        .contains("Created table demo.shop.orders")
        .contains("2026-11-18  8 rows")
        .contains("2026-11-19  4 rows")
        .contains("Time travel to the first snapshot")
        .contains(
            "DuckDB replica of partition ordered_at_day=2026-11-18, built from the table's Parquet"
                + " files: 8 rows, amount 96.00")
        .contains("200 single-row INSERTs acknowledged")
        .contains("-> 67 rows")
        .contains("-> 10 rows")
        .contains("aborted in every partition: Cannot apply UPDATE 1 of transaction 203")
        .contains("refused at submit: Cannot write to demo.shop.orders: random()")
        .contains("the latest applied the log up to sequence 202")
        .contains("Plain DuckDB read_parquet over the table's 3 Parquet files: 202 rows")
        .contains("both commits landed")
        .contains("204 rows")
        .contains("icecap:{demo.shop.orders}:meta");
  }
}
