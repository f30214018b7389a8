package io.icecap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Bench all --size smoke}, as CI runs it: every benchmark runs and every scenario has
 * figures, in the table, the JSON and the HTML page. No figure is checked against a goal: at the
 * smoke size they measure nothing.
 */
class AllBenchmarksTest {
  @TempDir Path work;

  @Test
  void theSmokeSizeGivesEveryScenarioItsFigures() throws Exception {
    Path json = work.resolve("out/all.json");
    Path html = work.resolve("out/all.html");
    Path runs = work.resolve("runs");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Bench.run(
            new String[] {
              "all",
              "--size",
              "smoke",
              "--seed",
              "7",
              "--work",
              runs.toString(),
              "--json",
              json.toString(),
              "--html",
              html.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    // The build log shows the smoke run's table and how long each benchmark took.
    System.out.print(table);

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(table).contains("smoke size, seed 7").doesNotContain("FAILED");
    assertThat(table).containsPattern("(?m)^took +replication [0-9]+ s, write [0-9]+ s, ");
    for (BenchmarkCommand command : Bench.commands()) {
      assertThat(table).contains("settings  " + command.name());
    }
    List<String> scenarios = new ArrayList<>();
    List<String> rows =
        table.lines().filter(line -> line.matches("^[0-9a-z ]{12} \\| .*")).skip(1).toList();
    for (String row : rows) {
      String[] cells = row.split("\\|");
      scenarios.add(cells[0].strip());
      assertThat(cells[2].strip()).as(row).matches("-?[0-9][0-9,.]* .+");
    }
    assertThat(new TreeSet<>(scenarios))
        .containsAll(
            Set.of(
                "replication",
                "1 write ack",
                "2 freshness",
                "3 apply",
                "4 query",
                "5 scaling",
                "cold start"));

    JsonSummary summary = JsonSummary.read(json);
    assertThat(summary.figures).isEqualTo(rows.size());
    assertThat(summary.benchmarks)
        .containsExactlyElementsOf(Bench.commands().stream().map(BenchmarkCommand::name).toList());
    assertThat(summary.results).isEqualTo(summary.benchmarks.size());

    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(page.split("<tr><td>", -1)).hasSize(rows.size() + 1);
    try (Stream<Path> left = Files.list(runs)) {
      assertThat(left).as("the runs' directories are removed").isEmpty();
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingRuns() {
    for (String[] args :
        List.of(
            new String[] {"all", "--size", "huge"},
            new String[] {"all", "--only", "write/nope"},
            new String[] {"all", "--bogus", "1"},
            new String[] {"all", "--size"},
            new String[] {"all", "--seed", "ten"})) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          Bench.run(
              args,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(status).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: Bench");
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Bench.run(
        new String[] {"all", "--only", "write/nope"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--only names 'nope', which is not a benchmark");
  }

  @Test
  void ratiosReadAsTimesOrFractions() {
    assertThat(FigureTable.ratio(java.util.OptionalDouble.of(1.05))).isEqualTo("1.05x");
    assertThat(FigureTable.ratio(java.util.OptionalDouble.of(1 / 78.0))).isEqualTo("1/78x");
    assertThat(FigureTable.ratio(java.util.OptionalDouble.empty())).isEmpty();
    assertThat(FigureTable.value(12_345.6, "rows/s")).isEqualTo("12,346 rows/s");
    assertThat(FigureTable.value(0.5, "ms")).isEqualTo("0.500 ms");
    assertThat(FigureTable.value(Double.NaN, "ms")).isEqualTo("none");
  }

  /** What the test reads back from the JSON: counts of figures and benchmark results. */
  private static final class JsonSummary {
    int figures;
    int results;
    final List<String> benchmarks = new ArrayList<>();

    static JsonSummary read(Path file) throws Exception {
      JsonSummary summary = new JsonSummary();
      try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
        assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          parser.nextToken();
          switch (field) {
            case "figures" -> {
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                summary.figures++;
                parser.skipChildren();
              }
            }
            case "benchmarks" -> {
              while (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                  String name = parser.currentName();
                  parser.nextToken();
                  if (name.equals("name")) {
                    summary.benchmarks.add(parser.getText());
                  } else if (name.equals("result")) {
                    summary.results++;
                  }
                  parser.skipChildren();
                }
              }
            }
            default -> parser.skipChildren();
          }
        }
      }
      return summary;
    }
  }
}
