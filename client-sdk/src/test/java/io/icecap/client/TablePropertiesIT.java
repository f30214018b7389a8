package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TBLPROPERTIES} in {@code CREATE TABLE}, {@code ALTER TABLE … SET} and {@code UNSET}, on a
 * warehouse on the S3 API: values are checked before anything is committed.
 */
class TablePropertiesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  private static final String AGE = "history.expire.max-snapshot-age-ms";

  @TempDir Path home;
  private IcecapSession session;

  @BeforeEach
  void connect() {
    REDIS.flushAll();
    String bucket = "warehouse-" + UUID.randomUUID();
    S3.server().createBucket(bucket);
    session =
        Icecap.connect(
            IcecapConfig.redis(REDIS.server().uri(), "s3://" + bucket + "/lake", home)
                .withWorkers(0)
                .withCatalogProperties(S3.server().fileIoProperties()));
    session.execute("CREATE SCHEMA m");
    session.execute("CREATE TABLE m.t (x INTEGER, d DATE)");
  }

  @AfterEach
  void close() {
    session.close();
  }

  private Map<String, String> properties(String table) {
    return session.table(table).properties();
  }

  private String metadata(String table) {
    return ((HasTableOperations) session.table(table))
        .operations()
        .current()
        .metadataFileLocation();
  }

  @Test
  void tablesIcecapCreatesKeepSnapshotsAnHourUnlessTheStatementSaysOtherwise() {
    assertThat(properties("m.t"))
        .containsEntry(AGE, "3600000")
        .containsEntry("write.metadata.delete-after-commit.enabled", "true")
        .containsEntry("write.metadata.previous-versions-max", "100");
    assertThat(TableDefaults.PROPERTIES).containsAllEntriesOf(Map.of(AGE, "3600000"));

    session.execute(
        "CREATE TABLE m.kept (x INTEGER, d DATE) PARTITIONED BY (d) TBLPROPERTIES ('"
            + AGE
            + "' = '86400000', 'comment' = 'it''s a ''test''; -- not a comment /* nor this */')");
    Table kept = session.table("m.kept");
    assertThat(kept.properties())
        .containsEntry(AGE, "86400000")
        .containsEntry("comment", "it's a 'test'; -- not a comment /* nor this */")
        .containsEntry("write.metadata.delete-after-commit.enabled", "true");
    assertThat(kept.spec().isUnpartitioned()).isFalse();
    assertThat(((HasTableOperations) kept).operations().current().formatVersion()).isEqualTo(2);

    // either order of the clauses, a comment between the properties
    session.execute(
        "CREATE TABLE m.other (x INTEGER, d DATE) TBLPROPERTIES ('a' = '1' -- first\n,"
            + " 'b' = '2') PARTITIONED BY (d)");
    assertThat(properties("m.other")).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(session.table("m.other").spec().isUnpartitioned()).isFalse();
  }

  @Test
  void setAndUnsetCommitThroughTheCatalog() {
    String before = metadata("m.t");
    session.execute(
        "ALTER TABLE m.t SET TBLPROPERTIES ('icecap.maintenance.compact-min-files' = '8',"
            + " 'owner.team' = 'lake')");
    assertThat(properties("m.t"))
        .containsEntry("icecap.maintenance.compact-min-files", "8")
        .containsEntry("owner.team", "lake");
    assertThat(metadata("m.t")).isNotEqualTo(before);

    session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES ('owner.team', '" + AGE + "')");
    assertThat(properties("m.t")).doesNotContainKeys("owner.team", AGE);

    assertThatThrownBy(() -> session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES ('owner.team')"))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
              assertThat(e.getMessage())
                  .contains("Cannot unset table property 'owner.team' of m.t: it is not set")
                  .contains("IF EXISTS");
            });
    session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES IF EXISTS ('owner.team')");

    // one missing key without IF EXISTS: nothing of the statement is committed
    session.execute("ALTER TABLE m.t SET TBLPROPERTIES ('a' = '1')");
    assertThatThrownBy(() -> session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES ('a', 'zz')"))
        .hasMessageContaining("'zz'");
    assertThat(properties("m.t")).containsEntry("a", "1");

    assertThatThrownBy(() -> session.execute("ALTER TABLE m.nothing SET TBLPROPERTIES ('a' = '1')"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE));
  }

  @Test
  void valuesMaintenanceCannotUseAreRefusedAndNothingIsCommitted() {
    session.execute("ALTER TABLE m.t SET TBLPROPERTIES ('keep' = 'me')");
    String before = metadata("m.t");
    Map<String, String> properties = properties("m.t");
    String[][] refused = {
      {AGE, "0", "a positive number"},
      {AGE, "-5", "a positive number"},
      {AGE, "an hour", "a whole number"},
      {"history.expire.min-snapshots-to-keep", "0", "a positive number"},
      {"write.target-file-size-bytes", "0", "a positive number"},
      {"icecap.maintenance.enabled", "maybe", "true or false"},
      {"icecap.maintenance.compact-min-files", "1", "at least 2"},
      {"icecap.maintenance.orphan-grace-ms", "99999999999999999999", "a whole number"},
    };
    for (String[] bad : refused) {
      assertThatThrownBy(
              () ->
                  session.execute(
                      "ALTER TABLE m.t SET TBLPROPERTIES ('keep' = 'changed', '"
                          + bad[0]
                          + "' = '"
                          + bad[1]
                          + "')"))
          .as(bad[0] + " = " + bad[1])
          .isInstanceOfSatisfying(
              IcecapException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
                assertThat(e.getMessage())
                    .contains("Table property " + bad[0] + " of m.t is '" + bad[1] + "'")
                    .contains(bad[2]);
              });
    }
    assertThat(metadata("m.t")).isEqualTo(before);
    assertThat(properties("m.t")).isEqualTo(properties);

    assertThatThrownBy(
            () ->
                session.execute(
                    "CREATE TABLE m.bad (x INTEGER) TBLPROPERTIES ('" + AGE + "' = '0')"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY));
    assertThat(session.catalog().tableExists(TableIdentifier.of("m", "bad"))).isFalse();
  }

  @Test
  void theFormatVersionCanNeitherBeLoweredNorRaisedPastWhatIcecapWrites() {
    String before = metadata("m.t");
    String[][] refused = {
      {"1", "cannot be lowered"},
      {"3", "later versions are not supported yet"},
      {"two", "it is not a format version"},
      {"", "it is not a format version"},
    };
    for (String[] bad : refused) {
      assertThatThrownBy(
              () ->
                  session.execute(
                      "ALTER TABLE m.t SET TBLPROPERTIES ('format-version' = '" + bad[0] + "')"))
          .as(bad[0])
          .isInstanceOfSatisfying(
              IcecapException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
                assertThat(e.getMessage()).contains("format-version of m.t").contains(bad[1]);
              });
    }
    assertThat(metadata("m.t")).isEqualTo(before);
    session.execute("ALTER TABLE m.t SET TBLPROPERTIES ('format-version' = '2')");
    assertThat(((HasTableOperations) session.table("m.t")).operations().current().formatVersion())
        .isEqualTo(2);

    assertThatThrownBy(
            () ->
                session.execute(
                    "CREATE TABLE m.old (x INTEGER) TBLPROPERTIES ('format-version' = '1')"))
        .hasMessageContaining("position delete files");
    assertThat(session.catalog().tableExists(TableIdentifier.of("m", "old"))).isFalse();

    for (String reserved : new String[] {"uuid", "current-snapshot-id", "snapshot-count"}) {
      assertThatThrownBy(
              () -> session.execute("ALTER TABLE m.t SET TBLPROPERTIES ('" + reserved + "' = '1')"))
          .hasMessageContaining("'" + reserved + "'")
          .hasMessageContaining("Iceberg reserves it");
    }
    assertThatThrownBy(
            () -> session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES ('format-version')"))
        .hasMessageContaining("Iceberg reserves it");
  }

  @Test
  void malformedAndHostilePropertyListsAreRefusedWithTheirPosition() {
    String before = metadata("m.t");
    String prefix = "ALTER TABLE m.t SET TBLPROPERTIES ";
    int open = prefix.length() + 1;
    Object[][] syntax = {
      {"('k' = 5)", "character " + (open + 7), "a property value as a string literal"},
      {"('k' = true)", "character " + (open + 7), "a property value as a string literal"},
      {"(k = 'v')", "character " + (open + 1), "a property key as a string literal"},
      {"(\"k\" = 'v')", "character " + (open + 1), "a property key as a string literal"},
      {"(E'k' = 'v')", "character " + (open + 1), "a property key as a string literal"},
      {"('k' = $$v$$)", "character " + (open + 7), "a property value as a string literal"},
      {"('k' = ?)", "character " + (open + 7), "a property value as a string literal"},
      {"('k' 'v')", "expected '='", ""},
      {"('k' = 'v'", "ends where ')' is expected", ""},
      {"()", "a property key as a string literal", ""},
      {"('k' = 'v',)", "a property key as a string literal", ""},
      {"('k' = 'v') extra", "unexpected 'extra'", ""},
      {"'k' = 'v'", "expected '('", ""},
    };
    for (Object[] bad : syntax) {
      assertThatThrownBy(() -> session.execute(prefix + bad[0]))
          .as(bad[0].toString())
          .isInstanceOfSatisfying(
              IcecapException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
                assertThat(e.getMessage()).contains((String) bad[1]).contains((String) bad[2]);
              });
    }
    // an unterminated literal is the lexer's error, with its position
    assertThatThrownBy(() -> session.execute(prefix + "('k' = 'v)"))
        .isInstanceOfSatisfying(
            IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNTAX_ERROR));

    String big = "v".repeat(DdlProperties.MAX_VALUE_LENGTH + 1);
    assertThatThrownBy(() -> session.execute(prefix + "('k' = '" + big + "')"))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
              assertThat(e.getMessage())
                  .contains("its value at character " + (open + 7))
                  .contains("4097 characters, more than the 4096")
                  .doesNotContain(big);
            });
    String huge = "v".repeat(5_000_000);
    assertThatThrownBy(() -> session.execute(prefix + "('k' = '" + huge + "')"))
        .hasMessageContaining("5000000 characters");
    assertThatThrownBy(
            () ->
                session.execute(
                    prefix + "('" + "k".repeat(DdlProperties.MAX_KEY_LENGTH + 1) + "' = 'v')"))
        .hasMessageContaining("257 characters, more than the 256 a key may have");
    String many =
        IntStream.rangeClosed(0, DdlProperties.MAX_PROPERTIES)
            .mapToObj(i -> "'k" + i + "' = 'v'")
            .collect(Collectors.joining(", ", "(", ")"));
    assertThatThrownBy(() -> session.execute(prefix + many))
        .hasMessageContaining("a statement names at most 100");
    assertThatThrownBy(() -> session.execute(prefix + "('k' = '1', 'j' = '2', 'k' = '3')"))
        .isInstanceOfSatisfying(
            IcecapException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROPERTY);
              assertThat(e.getMessage())
                  .contains("'k' of m.t is named twice, at characters " + (open + 1) + " and ");
            });
    assertThatThrownBy(() -> session.execute("ALTER TABLE m.t UNSET TBLPROPERTIES ('k', 'k')"))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> session.execute(prefix + "('' = 'v')"))
        .hasMessageContaining("empty table property key");
    assertThatThrownBy(() -> session.execute(prefix + "('line\nbreak' = 'v')"))
        .hasMessageContaining("control characters");
    assertThat(metadata("m.t")).isEqualTo(before);

    // at the bounds: accepted as written
    String longest = "v".repeat(DdlProperties.MAX_VALUE_LENGTH);
    session.execute(prefix + "('k' = '" + longest + "', 'q' = '''; DROP TABLE m.t; --')");
    assertThat(properties("m.t"))
        .containsEntry("k", longest)
        .containsEntry("q", "'; DROP TABLE m.t; --");
  }
}
