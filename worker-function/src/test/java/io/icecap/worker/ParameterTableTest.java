package io.icecap.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterTableTest {
  @Test
  void decimalsOfDifferentPrecisionsAreCastOnceToOneTypeThatHoldsThemAll() throws Exception {
    ParameterTable table =
        new ParameterTable(2, List.of("icecap_idx"))
            .add(List.of("CAST('1.5' AS DECIMAL(2, 1))", "CAST(7 AS INTEGER)"), 0)
            .add(List.of("CAST('12345.25' AS DECIMAL(7, 2))", "CAST(8 AS BIGINT)"), 1)
            .add(List.of("NULL", "CAST(9 AS SMALLINT)"), 2)
            .add(List.of("CAST('-0.125' AS DECIMAL(4, 3))", "NULL"), 3);

    String query = table.query();

    assertThat(query).doesNotContain("VALUES").contains("AS DECIMAL(8, 3)").contains("AS BIGINT)");
    assertThat(rows(query))
        .containsExactly("0 1.500 7", "1 12345.250 8", "2 null 9", "3 -0.125 null");
  }

  @Test
  void literalsOfUnrelatedTypesFallBackToAValuesList() throws Exception {
    ParameterTable table =
        new ParameterTable(1, List.of("icecap_idx"))
            .add(List.of("CAST('1.5' AS DECIMAL(2, 1))"), 0)
            .add(List.of("CAST('2.5' AS DOUBLE)"), 1);

    String query = table.query();

    assertThat(query).contains("VALUES");
    assertThat(rows(query)).containsExactly("0 1.5", "1 2.5");
  }

  @Test
  void textKeepsQuotesBackslashesControlCharactersAndCastsInsideIt() throws Exception {
    List<String> texts =
        List.of(
            "it's \"quoted\"",
            "back\\slash \\u0041",
            "line\nbreak\ttab\u0001\u001f",
            "\u00e9\u4e2d\ud83d\ude00",
            "CAST(1 AS BIGINT)",
            "x' AS VARCHAR) AS INTEGER");
    ParameterTable table = new ParameterTable(2, List.of("icecap_idx"));
    for (int i = 0; i < texts.size(); i++) {
      String literal = "'" + texts.get(i).replace("'", "''") + "'";
      table.add(List.of(literal, "CAST(" + literal + " AS VARCHAR)"), i);
    }

    String query = table.query();

    assertThat(query).doesNotContain("VALUES");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      expected.add(i + " " + texts.get(i) + " " + texts.get(i));
    }
    assertThat(rows(query)).containsExactlyElementsOf(expected);
  }

  @Test
  void commonTypes() {
    assertThat(ParameterTable.common("INTEGER", "BIGINT")).isEqualTo("BIGINT");
    assertThat(ParameterTable.common("HUGEINT", "TINYINT")).isEqualTo("HUGEINT");
    assertThat(ParameterTable.common("DECIMAL(5, 2)", "DECIMAL(7, 2)")).isEqualTo("DECIMAL(7, 2)");
    assertThat(ParameterTable.common("DECIMAL(38, 0)", "DECIMAL(38, 37)")).isNull();
    assertThat(ParameterTable.common("DECIMAL(5, 2)", "DOUBLE")).isNull();
    assertThat(ParameterTable.common("INTEGER", "DECIMAL(5, 2)")).isNull();
    assertThat(ParameterTable.common("VARCHAR", "VARCHAR")).isEqualTo("VARCHAR");
  }

  private static List<String> rows(String query) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement();
        ResultSet result = statement.executeQuery(query + " ORDER BY icecap_idx")) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
          row.add(String.valueOf(result.getObject(c)));
        }
        rows.add(String.join(" ", row));
      }
    }
    return rows;
  }
}
