package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void columnsAlignNumbersToTheRightAndNullsShow() throws Exception {
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT * FROM (VALUES (1, 'ada'), (250, NULL), (3, 'bob')) t(id, name)")) {
      assertThat(print(TextTable.of(rows, 2)))
          .isEqualTo(
              String.join(
                  "\n",
                  " id  | name",
                  "-----+------",
                  "   1 | ada",
                  " 250 | NULL",
                  "(3 rows, the first 2 shown)",
                  ""));
    }
  }

  @Test
  void oneRowIsSingular() {
    assertThat(print(TextTable.of("a").add("x"))).endsWith("(1 row)\n");
  }

  private static String print(TextTable table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }
}
