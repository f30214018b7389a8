package io.icecap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icecap sql}, {@code tables}, {@code snapshots}, {@code log}, {@code cache} on a local URL.
 */
class SqlCommandIT {
  @TempDir Path dir;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void reset() {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Icecap.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theShellReadsNoLocalFileUnlessTheUrlAllowsIt() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.csv"), "word\nicecap-shell-secret\n");
    String read = "SELECT * FROM read_csv('" + secret + "')";
    assertThat(run("sql", "--local=" + dir.resolve("lake"), "-e", read)).isEqualTo(1);
    assertThat(err()).contains("localFileAccess=true").doesNotContain("icecap-shell-secret");
    assertThat(
            run(
                "sql",
                "--url=jdbc:icecap:local:" + dir.resolve("lake") + "?localFileAccess=true",
                "-e",
                read))
        .as(err())
        .isZero();
    assertThat(out()).contains("icecap-shell-secret");
  }

  @Test
  void scriptsRunInOrderAndTheInspectionCommandsShowTheResult() throws Exception {
    String local = "--local=" + dir.resolve("lake");
    Path script = dir.resolve("setup.sql");
    Files.writeString(
        script,
        String.join(
            "\n",
            "CREATE SCHEMA shop; -- a comment; with a semicolon",
            "CREATE TABLE shop.items (id BIGINT NOT NULL, note VARCHAR, shelf INTEGER NOT NULL)",
            "  PARTITIONED BY (shelf);",
            "INSERT INTO shop.items VALUES (1, 'a;b', 1), (2, 'c', 2);",
            "UPDATE shop.items SET note = 'd' WHERE id = 2;"));
    assertThat(run("sql", local, "-f", script.toString())).as(err()).isZero();
    assertThat(out()).contains("INSERT: 2 rows", "UPDATE: 1 row");

    assertThat(run("sql", local, "-e", "SELECT id, note FROM shop.items ORDER BY id")).isZero();
    assertThat(out()).contains(" 1 | a;b", " 2 | d", "(2 rows)");

    assertThat(run("tables", local)).isZero();
    assertThat(out()).contains("shop.items").contains("|       2 |");

    assertThat(run("snapshots", "shop.items", local)).isZero();
    assertThat(out()).contains("append", "overwrite", "* current snapshot");

    assertThat(run("log", "shop.items", local)).isZero();
    assertThat(out()).contains("shop.items: 2 acknowledged, 2 applied (watermark 2), 0 pending");

    // a write that fails on its values when applied is aborted, and the log says so
    assertThat(run("sql", local, "-e", "UPDATE shop.items SET id = CAST(note AS BIGINT)"))
        .isEqualTo(1);
    assertThat(err()).contains("Conversion Error");
    assertThat(run("log", "shop.items", local)).isZero();
    assertThat(out()).containsPattern("1 aborted when applied; the last, 3: .*Conversion Error");
    assertThat(run("log", "shop.items", "--transaction=no-such-id", local)).isEqualTo(1);
    assertThat(out()).contains("Transaction no-such-id is not in the log of shop.items");

    assertThat(run("sql", local, "--metrics-port=0", "-e", "SELECT 1")).isZero();
    assertThat(out()).containsPattern("Prometheus metrics on http://localhost:[0-9]+/metrics");

    assertThat(run("cache", local)).isZero();
    assertThat(out()).contains("hits", "misses", "evictions");
  }

  @Test
  void tablesOfNestedNamespacesAndDottedNamesAreListedAndInspected() {
    String local = "--local=" + dir.resolve("lake");
    assertThat(
            run(
                "sql",
                local,
                "-e",
                "CREATE SCHEMA icecap; CREATE SCHEMA icecap.icecap.raw; CREATE SCHEMA \"we.ird\";"
                    + " CREATE TABLE icecap.icecap.raw.events (id BIGINT);"
                    + " INSERT INTO icecap.icecap.raw.events VALUES (1), (2);"
                    + " CREATE TABLE \"we.ird\".t (id INTEGER); INSERT INTO \"we.ird\".t VALUES (3)"))
        .as(err())
        .isZero();
    assertThat(run("tables", local)).as(err()).isZero();
    assertThat(out()).contains("icecap.raw.events", "we.ird.t").contains("|       2 |");
    assertThat(run("snapshots", "\"we.ird\".t", local)).as(err()).isZero();
    assertThat(out()).contains("append", "* current snapshot");
    assertThat(run("sql", local, "-e", "SELECT sum(id) FROM icecap.icecap.raw.events")).isZero();
    assertThat(out()).contains(" 3", "(1 row)");
  }

  @Test
  void aFailingStatementStopsTheScriptWithItsCode() {
    String local = "--local=" + dir.resolve("lake");
    assertThat(run("sql", local, "-e", "SELECT 1; SELECT * FROM nowhere.t; SELECT 3")).isEqualTo(1);
    assertThat(out()).contains("(1 row)").doesNotContain("3\n(1 row)");
    assertThat(err()).contains("-e, statement 2: ERROR 1002 (42P01)").contains("nowhere.t");
  }

  @Test
  void misuseIsNamed() {
    assertThat(run("sql", "-e")).isEqualTo(2);
    assertThat(err()).contains("-e needs a value");
    assertThat(run("sql", "-e", "SELECT 1", "-f", "x.sql")).isEqualTo(2);
    assertThat(err()).contains("give one of -e and -f");
    assertThat(run("sql", "--local=" + dir, "-f", dir.resolve("missing.sql").toString()))
        .isEqualTo(2);
    assertThat(err()).contains("missing.sql does not exist");
    assertThat(run("sql", "--url=jdbc:postgresql://h/db", "-e", "SELECT 1")).isEqualTo(2);
    assertThat(err()).contains("--url must start with jdbc:icecap:");
    assertThat(run("snapshots", "--local=" + dir)).isEqualTo(2);
    assertThat(err()).contains("name one table");
    assertThat(run("tables", "extra", "--local=" + dir)).isEqualTo(2);
    assertThat(err()).contains("unexpected argument 'extra'");
    assertThat(run("log", "t", "--entries=x", "--local=" + dir)).isEqualTo(2);
    assertThat(err()).contains("--entries must be a whole number");
    assertThat(run("log", "t", "--transaction=", "--local=" + dir)).isEqualTo(2);
    assertThat(err()).contains("--transaction needs a transaction id");
    assertThat(run("sql", "--metrics-port=http")).isEqualTo(2);
    assertThat(err()).contains("--metrics-port must be a port number");
    assertThat(run("sql", "--local=" + dir, "--metrics-port=99999", "-e", "SELECT 1")).isEqualTo(1);
    assertThat(err()).contains("from 0 to 65535");
    assertThat(run("sql", "--verbose")).isEqualTo(2);
    assertThat(err()).contains("unknown option '--verbose'");
    assertThat(run("sql", "--url=jdbc:icecap:local:" + dir + "?bogus=1", "-e", "SELECT 1"))
        .isEqualTo(1);
    assertThat(err()).contains("unknown setting 'bogus'");
  }

  @Test
  void describeShowsTheTablesPropertiesSortedAndItsMaintenance() throws Exception {
    String local = "--local=" + dir.resolve("lake");
    assertThat(
            run(
                "sql",
                local,
                "-e",
                "CREATE SCHEMA shop; CREATE TABLE shop.items (id BIGINT, shelf INTEGER)"
                    + " PARTITIONED BY (shelf) TBLPROPERTIES ('zeta' = 'last', 'alpha' = 'it''s');"
                    + " ALTER TABLE shop.items SET TBLPROPERTIES"
                    + " ('icecap.maintenance.compact-min-files' = '9');"
                    + " INSERT INTO shop.items VALUES (1, 1)"))
        .as(err())
        .isZero();
    // a bad value is refused with its code, and changes nothing
    assertThat(
            run(
                "sql",
                local,
                "-e",
                "ALTER TABLE shop.items SET TBLPROPERTIES ('history.expire.max-snapshot-age-ms' ="
                    + " '0')"))
        .isEqualTo(1);
    assertThat(err())
        .contains("ERROR 1024 (22023)")
        .contains("history.expire.max-snapshot-age-ms of shop.items is '0'");

    try (Connection connection =
        DriverManager.getConnection("jdbc:icecap:local:" + dir.resolve("lake"))) {
      out.reset();
      new SqlShell(connection, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
          .command("\\d shop.items");
      String shown = out();
      assertThat(shown).contains("shelf", "Partitioned by: [1000: shelf: identity(2)]");
      assertThat(shown)
          .containsPattern("history.expire.max-snapshot-age-ms +\\| 3600000")
          .containsPattern("icecap.maintenance.compact-min-files +\\| 9")
          .contains("alpha")
          .contains("it's");
      assertThat(shown.indexOf("alpha"))
          .isLessThan(shown.indexOf("history.expire"))
          .isLessThan(shown.indexOf("zeta"));
      assertThat(shown.indexOf("Partitioned by")).isLessThan(shown.indexOf("alpha"));
      assertThat(shown)
          .containsPattern("compact +\\| never")
          .containsPattern("expire +\\| never")
          .containsPattern("orphans +\\| never")
          .contains("Maintenance removed 0 files (0 bytes) in total; last error: none");
    }
  }

  @Test
  void maintainNamesItsErrorsWithTheirCodes() {
    String local = "--local=" + dir.resolve("lake");
    assertThat(run("maintain", "shop.nothing", local)).isEqualTo(1);
    assertThat(err())
        .contains("icecap maintain: ERROR 1002 (42P01)")
        .contains("Cannot maintain table shop.nothing: it does not exist");
    assertThat(run("maintain", "--expire", "--fast", "t", local)).isEqualTo(2);
    assertThat(err()).contains("icecap maintain: unknown option '--fast'").contains("Usage:");
    assertThat(run("maintain", local)).isEqualTo(2);
    assertThat(err()).contains("name one table");
    assertThat(run("maintain", "a.t", "b.t", local)).isEqualTo(2);
    assertThat(err()).contains("unexpected argument 'b.t'");
  }

  /** icecap maintain runs the three tasks, with progress lines and a summary. */
  @Test
  void maintainPrintsProgressAndASummary() {
    String local = "--local=" + dir.resolve("lake");
    assertThat(
            run(
                "sql",
                local,
                "-e",
                "CREATE SCHEMA shop; CREATE TABLE shop.items (id BIGINT);"
                    + " INSERT INTO shop.items VALUES (1); INSERT INTO shop.items VALUES (2)"))
        .as(err())
        .isZero();
    assertThat(run("maintain", "shop.items", "--dry-run", local)).as(err()).isZero();
    assertThat(out())
        .contains("Dry run of the maintenance of shop.items")
        .containsPattern("compact +\\|")
        .containsPattern("expire +\\|")
        .containsPattern("orphans +\\|")
        .containsPattern("total +\\|")
        .contains("Nothing was changed.");
    assertThat(run("maintain", "shop.items", "--expire", local)).as(err()).isZero();
    assertThat(out()).contains("Maintained shop.items").doesNotContain("compact ");
    assertThat(run("sql", local, "-e", "SELECT count(*) FROM shop.items")).isZero();
    assertThat(out()).contains(" 2", "(1 row)");
  }

  @Test
  void anUnknownTableIsAnError() {
    assertThat(run("snapshots", "shop.nothing", "--local=" + dir)).isEqualTo(1);
    assertThat(err()).contains("ERROR 1002").contains("shop.nothing does not exist");
  }
}
