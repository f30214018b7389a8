package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded queries over tables of every column type, partitioned by every transform and not at all,
 * each written in several files, compared with plain DuckDB over the same rows: pruning must never
 * change a result, whatever the literal (typed, string, cast, date-only and sub-microsecond
 * timestamps, numbers of other kinds, parameters of many Java types).
 *
 * <p>{@code -Dicecap.pruning.seed=N} replays a run (a failure prints its seed and queries), {@code
 * -Dicecap.pruning.queries=N} sets the queries per table (100 by default).
 */
class PruningDifferentialIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final long SEED = Long.getLong("icecap.pruning.seed", 20261208L);
  private static final int QUERIES = Integer.getInteger("icecap.pruning.queries", 100);
  private static final int ROWS_PER_WRITE = 24;
  private static final int WRITES_PER_ROUND = 1;
  private static final int ROUNDS = 2;

  private static final String COLUMNS =
      "id INTEGER, i INTEGER, l BIGINT, f FLOAT, dbl DOUBLE, dec DECIMAL(9, 2), d DATE, t TIME,"
          + " ts TIMESTAMP, tz TIMESTAMPTZ, s VARCHAR, b BOOLEAN, u UUID, bin BLOB";

  /** The tables: a name and a partition clause. */
  private static final List<String[]> TABLES =
      List.of(
          new String[] {"plain", ""},
          new String[] {"ident", " PARTITIONED BY (i, b)"},
          new String[] {"bucket", " PARTITIONED BY (bucket(4, l))"},
          new String[] {"trunc", " PARTITIONED BY (truncate(2, s), truncate(100, dec))"},
          new String[] {"daily", " PARTITIONED BY (day(ts))"},
          new String[] {"monthly", " PARTITIONED BY (month(d))"},
          new String[] {"yearly", " PARTITIONED BY (year(tz))"},
          new String[] {"hourly", " PARTITIONED BY (hour(ts), bucket(3, i))"});

  @TempDir static Path warehouse;
  @TempDir static Path home;
  private static IcecapSession session;
  private static Connection duckdb;
  private static final List<List<Object[]>> ROWS = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(2));
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    session.execute("CREATE SCHEMA q");
    List<Random> randoms = new ArrayList<>();
    try (Statement statement = duckdb.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("CREATE SCHEMA q");
      for (int table = 0; table < TABLES.size(); table++) {
        String name = "q." + TABLES.get(table)[0];
        session.execute("CREATE TABLE " + name + " (" + COLUMNS + ")" + TABLES.get(table)[1]);
        statement.execute("CREATE TABLE " + name + " (" + COLUMNS + ")");
        randoms.add(new Random(SEED * 31 + table));
        ROWS.add(new ArrayList<>());
      }
      // each round is applied as its own checkpoints, so partitions get several files
      for (int round = 0; round < ROUNDS; round++) {
        List<CommitToken> written = new ArrayList<>();
        for (int table = 0; table < TABLES.size(); table++) {
          String name = "q." + TABLES.get(table)[0];
          List<Object[]> rows = ROWS.get(table);
          for (int write = 0; write < WRITES_PER_ROUND; write++) {
            List<String> values = new ArrayList<>();
            for (int r = 0; r < ROWS_PER_WRITE; r++) {
              Object[] row = Values.row(randoms.get(table), rows.size());
              rows.add(row);
              values.add(Values.sqlRow(row));
            }
            String insert = "INSERT INTO " + name + " VALUES " + String.join(", ", values);
            written.add(session.executeAsync(insert));
            statement.execute(insert);
          }
        }
        for (CommitToken token : written) {
          assertThat(session.await(token).committed()).as("write %s", token).isTrue();
        }
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (session != null) {
      session.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  @Test
  void everyQueryReturnsWhatDuckDbReturns() throws Exception {
    List<String> failures = new ArrayList<>();
    int pruned = 0;
    int compared = 0;
    long duckdbNanos = 0;
    long icecapNanos = 0;
    for (int table = 0; table < TABLES.size(); table++) {
      String name = "q." + TABLES.get(table)[0];
      long files = files(TABLES.get(table)[0]);
      for (int n = 0; n < QUERIES; n++) {
        Random random = new Random(SEED * 1_000_003L + table * 10_007L + n);
        Queries.Query query = Queries.generate(random, name, ROWS.get(table));
        long started = System.nanoTime();
        String expected = run(duckdbRun(query));
        duckdbNanos += System.nanoTime() - started;
        started = System.nanoTime();
        long readsBefore = session.cacheStats().localReads() + session.cacheStats().misses();
        String actual;
        try {
          actual = run(icecapRun(query));
        } catch (RuntimeException e) {
          actual = "error: " + e;
        }
        icecapNanos += System.nanoTime() - started;
        long reads =
            session.cacheStats().localReads() + session.cacheStats().misses() - readsBefore;
        compared++;
        if (reads < files) {
          pruned++;
        }
        // A query that fails a conversion on some rows (a constant that does not fit the column's
        // type, a column cast to a narrower type) fails or not by the order in which DuckDB
        // evaluates its conjuncts, which differs between a table and a scan of Parquet files;
        // pruning only removes rows, so it cannot add such an error. Every other answer of
        // DuckDB's must be Icecap's.
        boolean same =
            expected.startsWith("error:")
                || expected.equals(actual)
                || actual.startsWith("error: Query failed: Conversion Error");
        if (!same) {
          failures.add(
              String.format(
                  "seed %d, table %s, query %d: %s%n  parameters %s%n  DuckDB: %s%n  Icecap: %s",
                  SEED, name, n, query.sql(), query.describeParameters(), expected, actual));
        }
      }
    }
    System.out.printf(
        "%d queries, %d read fewer files than their table has; DuckDB %d ms, Icecap %d ms%n",
        compared, pruned, duckdbNanos / 1_000_000, icecapNanos / 1_000_000);
    assertThat(failures)
        .as(
            "queries whose result differs from DuckDB's (replay with -Dicecap.pruning.seed=%d)",
            SEED)
        .isEmpty();
    assertThat(pruned).as("queries that read fewer files than their table has").isPositive();
    assertThat(compared).isEqualTo(QUERIES * TABLES.size());
  }

  private static long files(String table) throws Exception {
    Table loaded = session.catalog().loadTable(TableIdentifier.of("q", table));
    long count = 0;
    try (CloseableIterable<FileScanTask> tasks = loaded.newScan().planFiles()) {
      for (FileScanTask ignored : tasks) {
        count++;
      }
    }
    return count;
  }

  private interface Rows {
    ResultSet open() throws Exception;
  }

  private static Rows duckdbRun(Queries.Query query) {
    return () -> {
      PreparedStatement statement = duckdb.prepareStatement(query.sql());
      statement.closeOnCompletion();
      for (int i = 0; i < query.parameters().size(); i++) {
        statement.setObject(i + 1, plainDuckDb(query.parameters().get(i)));
      }
      return statement.executeQuery();
    };
  }

  /**
   * The value for DuckDB's own driver: it binds a LocalDate before the Gregorian cutover on the
   * Julian calendar (1582-10-10 as 1582-10-20) and refuses an Instant, so the reference gets the
   * same day as a timestamp and the instant with its offset.
   */
  private static Object plainDuckDb(Object value) {
    if (value instanceof LocalDate date && date.isBefore(LocalDate.of(1582, 10, 15))) {
      return date.atStartOfDay();
    }
    if (value instanceof java.time.Instant instant) {
      return instant.atOffset(ZoneOffset.UTC);
    }
    return value;
  }

  private static Rows icecapRun(Queries.Query query) {
    return () -> session.query(query.sql(), query.parameters().toArray());
  }

  /** The rows as text, or {@code error: …}. */
  private static String run(Rows rows) {
    try (ResultSet result = rows.open()) {
      StringBuilder text = new StringBuilder();
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        for (int i = 1; i <= columns; i++) {
          String value = result.getString(i);
          // min and max may give either of -0.0 and 0.0, which are equal
          text.append(i == 1 ? "" : "|").append("-0.0".equals(value) ? "0.0" : value);
        }
        text.append(';');
      }
      return text.toString();
    } catch (Exception e) {
      if (e instanceof SQLException || e instanceof IcecapException) {
        return "error: " + e.getMessage().lines().findFirst().orElse("");
      }
      throw new IllegalStateException(e);
    }
  }

  /** Row values: boundaries, values around 1970, NULLs, NaN and infinities. */
  static final class Values {
    static final String[] NAMES = {
      "id", "i", "l", "f", "dbl", "dec", "d", "t", "ts", "tz", "s", "b", "u", "bin"
    };

    static Object[] row(Random random, int id) {
      Object[] row = new Object[NAMES.length];
      row[0] = id;
      for (int c = 1; c < NAMES.length; c++) {
        row[c] = random.nextInt(10) == 0 ? null : value(random, NAMES[c]);
      }
      return row;
    }

    static Object value(Random random, String column) {
      switch (column) {
        case "i":
          return pick(
              random,
              Integer.MIN_VALUE,
              Integer.MAX_VALUE,
              0,
              -1,
              1,
              random.nextInt(2000) - 1000,
              random.nextInt(2000) - 1000);
        case "l":
          return pick(
              random,
              Long.MIN_VALUE,
              Long.MAX_VALUE,
              0L,
              (1L << 53) + 1,
              -(1L << 53),
              (long) random.nextInt(2000) - 1000,
              random.nextLong());
        case "f":
          return pick(
              random,
              Float.NaN,
              -0.0f,
              0.0f,
              Float.POSITIVE_INFINITY,
              Float.NEGATIVE_INFINITY,
              1.1f,
              (random.nextFloat() - 0.5f) * 2000,
              (float) (random.nextInt(200) - 100));
        case "dbl":
          return pick(
              random,
              Double.NaN,
              -0.0,
              0.0,
              Double.NEGATIVE_INFINITY,
              0.1,
              (double) (1L << 53) + 2,
              (random.nextDouble() - 0.5) * 2000,
              (double) (random.nextInt(200) - 100));
        case "dec":
          return pick(
              random,
              new BigDecimal("9999999.99"),
              new BigDecimal("-9999999.00"),
              new BigDecimal("0.00"),
              BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 2),
              BigDecimal.valueOf(random.nextInt(20_000) - 10_000, 2));
        case "d":
          return pick(
              random,
              LocalDate.of(1969, 12, 31),
              LocalDate.of(1970, 1, 1),
              LocalDate.of(1582, 10, 15),
              LocalDate.of(1582, 10, 4),
              LocalDate.of(1000, 1, 1),
              LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000),
              LocalDate.ofEpochDay(random.nextInt(80_000) - 40_000));
        case "t":
          return pick(
              random,
              LocalTime.MIDNIGHT,
              LocalTime.of(23, 59, 59, 999_999_000),
              LocalTime.ofNanoOfDay(random.nextInt(86_400) * 1_000_000_000L),
              LocalTime.ofNanoOfDay((long) (random.nextDouble() * 86_400_000_000L) * 1000));
        case "ts", "tz":
          return pick(
              random,
              LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
              LocalDateTime.of(1970, 1, 1, 0, 0),
              LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1000),
              LocalDateTime.of(1969, 12, 31, 0, 0),
              LocalDateTime.of(1582, 10, 4, 12, 0),
              LocalDateTime.of(1900, 1, 1, 0, 0)
                  .plusNanos((long) (random.nextDouble() * 6e18) / 1000 * 1000),
              LocalDateTime.of(1960, 1, 1, 0, 0).plusSeconds(random.nextInt(400_000_000)));
        case "s":
          return pick(
              random,
              "",
              "a",
              "ab",
              "b",
              "10",
              "9",
              "é",
              "zzzzzzzzzzzzzzzzzzzzzzzzz" + random.nextInt(10),
              "aaaaaaaaaaaaaaaaaaaaaaaaa" + random.nextInt(10),
              Integer.toString(random.nextInt(100)));
        case "b":
          return random.nextBoolean();
        case "u":
          return pick(
              random,
              UUID.fromString("80000000-0000-0000-0000-000000000000"),
              UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"),
              UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
              new UUID(random.nextLong(), random.nextLong()));
        case "bin":
          byte[] bytes = new byte[random.nextInt(4)];
          random.nextBytes(bytes);
          return bytes;
        default:
          throw new IllegalArgumentException(column);
      }
    }

    @SafeVarargs
    static <T> T pick(Random random, T... choices) {
      return choices[random.nextInt(choices.length)];
    }

    static String sqlRow(Object[] row) {
      List<String> values = new ArrayList<>();
      for (int c = 0; c < row.length; c++) {
        values.add(sql(NAMES[c], row[c]));
      }
      return "(" + String.join(", ", values) + ")";
    }

    /** A value as a SQL literal of its column's type. */
    static String sql(String column, Object value) {
      if (value == null) {
        return "NULL";
      }
      switch (column) {
        case "f":
          return "CAST('" + floating((Float) value) + "' AS FLOAT)";
        case "dbl":
          return "CAST('" + floating((Double) value) + "' AS DOUBLE)";
        case "dec":
          return ((BigDecimal) value).toPlainString();
        case "d":
          return "DATE '" + value + "'";
        case "t":
          return "TIME '" + value + "'";
        case "ts":
          return "TIMESTAMP '" + ResultRows.timestampText((LocalDateTime) value) + "'";
        case "tz":
          return "TIMESTAMPTZ '" + ResultRows.timestampText((LocalDateTime) value) + "+00'";
        case "s":
          return "'" + ((String) value).replace("'", "''") + "'";
        case "u":
          return "'" + value + "'::UUID";
        case "bin":
          StringBuilder text = new StringBuilder("'");
          for (byte b : (byte[]) value) {
            text.append(String.format("\\x%02X", b));
          }
          return text.append("'::BLOB").toString();
        default:
          return value.toString();
      }
    }

    static String floating(double value) {
      if (Double.isNaN(value)) {
        return "nan";
      }
      if (Double.isInfinite(value)) {
        return value > 0 ? "inf" : "-inf";
      }
      return Double.toString(value);
    }

    static String floating(float value) {
      if (Float.isNaN(value)) {
        return "nan";
      }
      if (Float.isInfinite(value)) {
        return value > 0 ? "inf" : "-inf";
      }
      return Float.toString(value);
    }
  }

  /** Seeded queries: comparisons, IN and BETWEEN over every literal form and parameter type. */
  static final class Queries {
    record Query(String sql, List<Object> parameters) {
      String describeParameters() {
        List<String> out = new ArrayList<>();
        for (Object parameter : parameters) {
          out.add(
              parameter == null
                  ? "null"
                  : parameter.getClass().getSimpleName()
                      + " "
                      + (parameter instanceof byte[] bytes ? Arrays.toString(bytes) : parameter));
        }
        return out.toString();
      }
    }

    private static final String[] OPERATORS = {"=", "<", "<=", ">", ">=", "<>"};
    private static final String[] PRUNABLE = {
      "i", "l", "f", "dbl", "dec", "d", "t", "ts", "tz", "s", "b", "u", "bin"
    };

    static Query generate(Random random, String table, List<Object[]> rows) {
      List<Object> parameters = new ArrayList<>();
      String column = Values.pick(random, PRUNABLE);
      String first = predicate(random, column, rows, parameters);
      switch (random.nextInt(4)) {
        case 0:
          return new Query("SELECT count(*) FROM " + table + " WHERE " + first, parameters);
        case 1:
          return new Query(
              "SELECT id FROM " + table + " WHERE " + first + " ORDER BY id", parameters);
        case 2:
          String other = Values.pick(random, PRUNABLE);
          String second = predicate(random, other, rows, parameters);
          return new Query(
              "SELECT count(*), CAST(min("
                  + column
                  + ") AS VARCHAR), CAST(max("
                  + column
                  + ") AS VARCHAR) FROM "
                  + table
                  + " WHERE "
                  + first
                  + " AND "
                  + second,
              parameters);
        default:
          String either = predicate(random, Values.pick(random, PRUNABLE), rows, parameters);
          return new Query(
              "SELECT id FROM "
                  + table
                  + " WHERE ("
                  + first
                  + " OR "
                  + either
                  + ") AND id >= 0 ORDER BY id",
              parameters);
      }
    }

    static String predicate(
        Random random, String column, List<Object[]> rows, List<Object> parameters) {
      int shape = random.nextInt(10);
      if (shape < 6) {
        String op = Values.pick(random, OPERATORS);
        String literal = literal(random, column, rows, parameters);
        return random.nextInt(5) == 0
            ? literal + " " + flip(op) + " " + column
            : column + " " + op + " " + literal;
      }
      if (shape < 8) {
        int count = 1 + random.nextInt(3);
        List<String> literals = new ArrayList<>();
        for (int k = 0; k < count; k++) {
          literals.add(literal(random, column, rows, parameters));
        }
        return column + (shape == 7 ? " NOT IN (" : " IN (") + String.join(", ", literals) + ")";
      }
      String low = literal(random, column, rows, parameters);
      String high = literal(random, column, rows, parameters);
      return column + (shape == 9 ? " NOT BETWEEN " : " BETWEEN ") + low + " AND " + high;
    }

    private static String flip(String op) {
      switch (op) {
        case "<":
          return ">";
        case ">":
          return "<";
        case "<=":
          return ">=";
        case ">=":
          return "<=";
        default:
          return op;
      }
    }

    /** A literal near a value of the column (or a fresh one), in one of its forms. */
    static String literal(
        Random random, String column, List<Object[]> rows, List<Object> parameters) {
      int index = Arrays.asList(Values.NAMES).indexOf(column);
      Object value = rows.get(random.nextInt(rows.size()))[index];
      if (value == null || random.nextInt(6) == 0) {
        value = Values.value(random, column);
      }
      List<Object> forms = forms(random, column, value);
      Object form = forms.get(random.nextInt(forms.size()));
      if (form instanceof String sql) {
        return sql;
      }
      parameters.add(((Parameter) form).value());
      return "?";
    }

    record Parameter(Object value) {}

    private static List<Object> forms(Random random, String column, Object value) {
      List<Object> forms = new ArrayList<>();
      switch (column) {
        case "i", "l":
          long whole = ((Number) value).longValue() + random.nextInt(3) - 1;
          forms.add(Long.toString(whole));
          forms.add(whole + ".5");
          forms.add(whole + ".0");
          forms.add(whole + "e0");
          forms.add("CAST(" + whole + " AS BIGINT)");
          forms.add(whole + "::DOUBLE");
          forms.add("'" + whole + "'");
          forms.add("'" + whole + ".5'");
          forms.add("' " + whole + " '");
          forms.add("CAST('" + whole + "' AS " + (column.equals("i") ? "INTEGER" : "BIGINT") + ")");
          forms.add("9223372036854775808");
          forms.add(new Parameter(whole));
          forms.add(new Parameter(new BigDecimal(whole + ".5")));
          forms.add(new Parameter(whole + 0.5));
          forms.add(new Parameter(Long.toString(whole)));
          if (whole == (int) whole) {
            forms.add(new Parameter((int) whole));
          }
          if (whole == (short) whole) {
            forms.add(new Parameter((short) whole));
          }
          break;
        case "f", "dbl":
          double number = ((Number) value).doubleValue();
          String text = Values.floating(number);
          forms.add("'" + text + "'");
          forms.add("CAST('" + text + "' AS DOUBLE)");
          forms.add("'" + text + "'::FLOAT");
          if (Double.isFinite(number)) {
            forms.add(new BigDecimal(Float.toString((float) number)).toPlainString());
            forms.add(Long.toString(Math.round(number)));
            forms.add(new Parameter(number));
            forms.add(new Parameter((float) number));
            forms.add(new Parameter(new BigDecimal(Double.toString(number))));
            forms.add(new Parameter(Math.round(number)));
          }
          forms.add(new Parameter(text));
          break;
        case "dec":
          BigDecimal decimal = (BigDecimal) value;
          forms.add(decimal.toPlainString());
          forms.add(decimal.add(new BigDecimal("0.005")).toPlainString());
          forms.add("'" + decimal.toPlainString() + "'");
          forms.add("'" + decimal.toPlainString() + "5'");
          forms.add("CAST('" + decimal.add(new BigDecimal("0.001")) + "' AS DECIMAL(12, 3))");
          forms.add(decimal.toPlainString() + "::DOUBLE");
          forms.add(Long.toString(decimal.longValue()));
          forms.add(new Parameter(decimal));
          forms.add(new Parameter(decimal.add(new BigDecimal("0.005"))));
          forms.add(new Parameter(decimal.doubleValue()));
          forms.add(new Parameter(decimal.longValue()));
          forms.add(new Parameter(decimal.toPlainString()));
          break;
        case "d":
          LocalDate day = ((LocalDate) value).plusDays(random.nextInt(3) - 1);
          forms.add("DATE '" + day + "'");
          forms.add("'" + day + "'");
          forms.add("'" + day + " 10:00:00'");
          forms.add("CAST('" + day + "' AS DATE)");
          forms.add("TIMESTAMP '" + day + "'");
          forms.add("TIMESTAMP '" + day + " 12:00:00'");
          forms.add("TIMESTAMPTZ '" + day + " 00:00:00+00'");
          forms.add(new Parameter(day));
          forms.add(new Parameter(day.toString()));
          forms.add(new Parameter(day.atTime(6, 0)));
          forms.add(new Parameter(java.sql.Date.valueOf(day)));
          break;
        case "t":
          LocalTime time = (LocalTime) value;
          forms.add("TIME '" + time + "'");
          forms.add("'" + time + "'");
          forms.add("'" + time + "'::TIME");
          forms.add(new Parameter(time));
          forms.add(new Parameter(time.toString()));
          forms.add(new Parameter(java.sql.Time.valueOf(time.withNano(0))));
          break;
        case "ts", "tz":
          LocalDateTime at = (LocalDateTime) value;
          String text2 = ResultRows.timestampText(at);
          String subMicro = text2 + (text2.length() - text2.indexOf('.') == 7 ? "5" : "0000005");
          LocalDate date = at.toLocalDate();
          forms.add("TIMESTAMP '" + text2 + "'");
          forms.add("TIMESTAMP '" + date + "'");
          forms.add("'" + date + "'");
          forms.add("TIMESTAMP '" + subMicro + "'");
          forms.add("'" + subMicro + "'");
          forms.add("'" + subMicro + "'::TIMESTAMP_NS");
          forms.add("'" + text2 + "'::TIMESTAMP_MS");
          forms.add("'" + text2 + "'");
          forms.add("CAST('" + text2 + "' AS TIMESTAMP)");
          forms.add("TIMESTAMPTZ '" + text2 + "+00'");
          forms.add("TIMESTAMPTZ '" + text2 + "+02'");
          forms.add("'" + text2 + "+02'");
          forms.add("'" + date + "'::DATE");
          forms.add("DATE '" + date + "'");
          forms.add(new Parameter(at));
          forms.add(new Parameter(at.plusNanos(500)));
          forms.add(new Parameter(text2));
          forms.add(new Parameter(subMicro));
          forms.add(new Parameter(at.atOffset(ZoneOffset.UTC)));
          forms.add(new Parameter(at.atOffset(ZoneOffset.ofHours(-3))));
          forms.add(new Parameter(date));
          forms.add(new Parameter(java.sql.Timestamp.valueOf(at)));
          forms.add(new Parameter(at.toInstant(ZoneOffset.UTC)));
          break;
        case "s":
          String string = (String) value;
          forms.add("'" + string.replace("'", "''") + "'");
          forms.add("'" + string.replace("'", "''") + "'::VARCHAR");
          forms.add("'" + string.replace("'", "''") + "a'");
          if (!string.isEmpty()) {
            forms.add("'" + string.substring(0, string.length() - 1).replace("'", "''") + "'");
          }
          forms.add(new Parameter(string));
          break;
        case "b":
          forms.add(value.toString());
          forms.add("'" + value + "'");
          forms.add("'t'");
          forms.add(new Parameter(value));
          break;
        case "u":
          forms.add("'" + value + "'");
          forms.add("'" + value + "'::UUID");
          forms.add(new Parameter(value));
          forms.add(new Parameter(value.toString()));
          break;
        case "bin":
          forms.add(Values.sql("bin", value));
          forms.add(new Parameter(value));
          break;
        default:
          throw new IllegalArgumentException(column);
      }
      return forms;
    }
  }
}
