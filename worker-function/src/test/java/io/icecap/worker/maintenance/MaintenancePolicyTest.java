package io.icecap.worker.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenancePolicyTest {
  @Test
  void aTableWithoutPropertiesGetsIcebergsDefaults() {
    MaintenancePolicy policy = MaintenancePolicy.of("db.t", Map.of());

    assertThat(policy.maxSnapshotAge()).isEqualTo(Duration.ofDays(5));
    assertThat(policy.minSnapshotsToKeep()).isEqualTo(1);
    assertThat(policy.maxRefAge()).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    assertThat(policy.targetFileSizeBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(policy.automatic()).isTrue();
    assertThat(policy.expireEvery()).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.orphanGrace()).isEqualTo(Duration.ofDays(3));
  }

  @Test
  void icecapsDefaultsKeepAnHourAndExpireEverySixMinutesAtMostAMinute() {
    MaintenancePolicy policy = MaintenancePolicy.of("db.t", MaintenancePolicy.ICECAP_DEFAULTS);

    assertThat(policy.maxSnapshotAge()).isEqualTo(Duration.ofHours(1));
    assertThat(policy.expireEvery()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void expiryRunsAtATenthOfAShortRetentionButNotMoreOftenThanEverySecond() {
    assertThat(
            MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.MAX_SNAPSHOT_AGE, "60000"))
                .expireEvery())
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(
            MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.MAX_SNAPSHOT_AGE, "2000"))
                .expireEvery())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(
            MaintenancePolicy.of(
                    "db.t",
                    Map.of(
                        MaintenancePolicy.MAX_SNAPSHOT_AGE,
                        "60000",
                        MaintenancePolicy.EXPIRE_EVERY,
                        "250"))
                .expireEvery())
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aRetentionOfZeroOrANegativeOneIsRefusedWithTheProperty() {
    for (String value : new String[] {"0", "-1", "-9223372036854775808"}) {
      assertThatThrownBy(
              () -> MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.MAX_SNAPSHOT_AGE, value)))
          .isInstanceOf(TablePropertyException.class)
          .hasMessageContaining("history.expire.max-snapshot-age-ms of db.t is '" + value + "'")
          .hasMessageContaining("not a positive number")
          .hasMessageContaining("ALTER TABLE db.t SET TBLPROPERTIES");
    }
  }

  @Test
  void aPropertyOfTheWrongTypeIsRefusedWithTheProperty() {
    assertThatThrownBy(
            () -> MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.ORPHAN_GRACE, "1 day")))
        .isInstanceOf(TablePropertyException.class)
        .hasMessageContaining("icecap.maintenance.orphan-grace-ms")
        .hasMessageContaining("not a whole number")
        .extracting(e -> ((TablePropertyException) e).property())
        .isEqualTo(MaintenancePolicy.ORPHAN_GRACE);
    assertThatThrownBy(
            () -> MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.AUTOMATIC, "yes")))
        .hasMessageContaining("not true or false");
    assertThatThrownBy(
            () ->
                MaintenancePolicy.of(
                    "db.t", Map.of(MaintenancePolicy.MIN_SNAPSHOTS_TO_KEEP, "99999999999")))
        .hasMessageContaining("not a number below 2^31");
    assertThatThrownBy(
            () -> MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.COMPACT_MIN_FILES, "1")))
        .hasMessageContaining("not at least 2");
    assertThatThrownBy(
            () -> MaintenancePolicy.of("db.t", Map.of(MaintenancePolicy.TARGET_FILE_SIZE, "1e9")))
        .hasMessageContaining("write.target-file-size-bytes");
  }

  @Test
  void valuesAreReadWithSurroundingBlanksAndAnyCaseOfBooleans() {
    MaintenancePolicy policy =
        MaintenancePolicy.of(
            "db.t",
            Map.of(
                MaintenancePolicy.MAX_SNAPSHOT_AGE,
                " 60000 ",
                MaintenancePolicy.AUTOMATIC,
                "FALSE"));

    assertThat(policy.maxSnapshotAge()).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.automatic()).isFalse();
  }
}
