package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dates and timestamps before the Gregorian cutover (15 October 1582), the ten days it skipped, the
 * year 1000 and years before 1 come back as stored: from the SDK's result sets, the JDBC driver's,
 * and Arrow batches. DuckDB's own driver turned {@code 1582-10-10} into {@code 1582-10-20} in
 * {@code getObject(i, LocalDate.class)} and the text of a TIMESTAMP.
 */
class CutoverDatesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final List<LocalDate> DAYS =
      List.of(
          LocalDate.of(1582, 10, 10),
          LocalDate.of(2026, 12, 8),
          LocalDate.of(1582, 10, 15),
          LocalDate.of(1582, 10, 14),
          LocalDate.of(1582, 10, 5),
          LocalDate.of(1582, 10, 4),
          LocalDate.of(1000, 1, 1),
          LocalDate.of(1, 1, 1),
          LocalDate.of(-44, 3, 15));
  private static final LocalTime TIME = LocalTime.of(12, 34, 56, 123_456_000);

  @TempDir Path warehouse;
  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), warehouse.toString(), home).withWorkers(1));
    session.execute("CREATE SCHEMA h");
    session.execute("CREATE TABLE h.events (id INTEGER, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ)");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < DAYS.size(); i++) {
      String day = DAYS.get(i).toString();
      rows.add(
          String.format(
              "(%d, DATE '%s', TIMESTAMP '%s %s', TIMESTAMPTZ '%s %s+00')",
              i, day, day, TIME, day, TIME));
    }
    session.execute("INSERT INTO h.events VALUES " + String.join(", ", rows));
  }

  @AfterEach
  void close() {
    session.close();
  }

  @Test
  void theSdksResultSetsGiveTheStoredDays() throws Exception {
    try (ResultSet rows = session.query("SELECT id, d, ts, tz FROM h.events ORDER BY id")) {
      assertRows(rows);
    }
  }

  @Test
  void theJdbcDriversResultSetsGiveTheStoredDays() throws Exception {
    String url =
        "jdbc:icecap:" + REDIS.server().uri() + "/?warehouse=" + warehouse + "&home=" + home;
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id, d, ts, tz FROM h.events ORDER BY id")) {
      assertRows(rows);
    }
  }

  @Test
  void arrowBatchesCarryTheStoredDaysAndMicroseconds() throws Exception {
    int seen = 0;
    try (BufferAllocator allocator = new RootAllocator();
        ArrowReader reader =
            session.queryArrow(allocator, "SELECT id, d, ts, tz FROM h.events ORDER BY id")) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        IntVector id = (IntVector) root.getVector("id");
        DateDayVector d = (DateDayVector) root.getVector("d");
        TimeStampMicroVector ts = (TimeStampMicroVector) root.getVector("ts");
        TimeStampMicroTZVector tz = (TimeStampMicroTZVector) root.getVector("tz");
        for (int i = 0; i < root.getRowCount(); i++) {
          LocalDate day = DAYS.get(id.get(i));
          LocalDateTime time = day.atTime(TIME);
          assertThat(LocalDate.ofEpochDay(d.get(i))).isEqualTo(day);
          assertThat(ts.get(i)).isEqualTo(micros(time));
          assertThat(tz.get(i)).isEqualTo(micros(time));
          assertThat(ts.getObject(i)).isEqualTo(time);
          seen++;
        }
      }
    }
    assertThat(seen).isEqualTo(DAYS.size());
  }

  @Test
  void parametersBeforeTheCutoverAndInstantsFindTheirRows() throws Exception {
    for (int id = 0; id < DAYS.size(); id++) {
      LocalDate day = DAYS.get(id);
      assertThat(ids("SELECT id FROM h.events WHERE d = ?", day))
          .as("d = %s", day)
          .containsExactly(id);
      assertThat(ids("SELECT id FROM h.events WHERE ts = ?", day.atTime(TIME))).containsExactly(id);
      assertThat(
              ids(
                  "SELECT id FROM h.events WHERE tz = ?",
                  day.atTime(TIME).toInstant(ZoneOffset.UTC)))
          .containsExactly(id);
    }
  }

  private List<Integer> ids(String sql, Object parameter) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (ResultSet rows = session.query(sql, parameter)) {
      while (rows.next()) {
        ids.add(rows.getInt(1));
      }
    }
    return ids;
  }

  private static long micros(LocalDateTime time) {
    return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), time);
  }

  private static void assertRows(ResultSet rows) throws Exception {
    int seen = 0;
    while (rows.next()) {
      int id = rows.getInt(1);
      LocalDate day = DAYS.get(id);
      LocalDateTime time = day.atTime(TIME);
      OffsetDateTime instant = time.atOffset(ZoneOffset.UTC);
      assertThat(rows.getObject(2, LocalDate.class)).as("LocalDate of %s", day).isEqualTo(day);
      assertThat(rows.getObject("d", LocalDate.class)).isEqualTo(day);
      assertThat(rows.getObject(2)).isEqualTo(day);
      assertThat(rows.getString(2)).isEqualTo(day.toString());
      assertThat(rows.getObject(2, LocalDateTime.class)).isEqualTo(day.atStartOfDay());
      assertThat(rows.getObject(3, LocalDateTime.class)).as("LocalDateTime").isEqualTo(time);
      assertThat(rows.getString(3)).isEqualTo(day + " 12:34:56.123456");
      assertThat(rows.getString("ts")).isEqualTo(day + " 12:34:56.123456");
      assertThat(rows.getObject(4, OffsetDateTime.class)).isEqualTo(instant);
      assertThat(rows.getObject(4, Instant.class)).isEqualTo(instant.toInstant());
      assertThat(rows.getObject(4, LocalDateTime.class)).isEqualTo(time);
      seen++;
    }
    assertThat(seen).isEqualTo(DAYS.size());
  }
}
