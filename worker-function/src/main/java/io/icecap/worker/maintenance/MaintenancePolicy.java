package io.icecap.worker.maintenance;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.TableProperties;

/**
 * How a table is maintained, read from its properties: Iceberg's own ({@code history.expire.*},
 * {@code write.target-file-size-bytes}), whose defaults are Iceberg's, and Icecap's ({@code
 * icecap.maintenance.*}). Every value is checked where it is read: a property of the wrong type or
 * out of range is a {@link TablePropertyException} naming it, and no maintenance runs on the table
 * until it is fixed. Tables Icecap creates get retention properties that keep a continuously
 * written table bounded (see {@link #ICECAP_DEFAULTS}).
 *
 * @param maxSnapshotAge snapshots older than this are expired ({@code
 *     history.expire.max-snapshot-age-ms}; Iceberg's default 5 days)
 * @param minSnapshotsToKeep the newest snapshots of a branch kept whatever their age ({@code
 *     history.expire.min-snapshots-to-keep}; default 1)
 * @param maxRefAge a branch or tag older than this is removed, never {@code main} ({@code
 *     history.expire.max-ref-age-ms}; default forever)
 * @param targetFileSizeBytes the size compaction writes files of ({@code
 *     write.target-file-size-bytes}; Iceberg's default 512 MiB)
 * @param automatic whether workers run maintenance on the table by themselves ({@code
 *     icecap.maintenance.enabled}; default true)
 * @param expireEvery how often workers expire snapshots ({@code
 *     icecap.maintenance.expire-interval-ms}; by default a tenth of the snapshot age, between 1
 *     second and 1 minute, so that snapshots outlive their retention by at most a tenth of it)
 * @param orphansEvery how often workers delete orphan files ({@code
 *     icecap.maintenance.orphans-interval-ms}; default 1 day)
 * @param orphanGrace a file younger than this is never an orphan ({@code
 *     icecap.maintenance.orphan-grace-ms}; default 3 days, as Iceberg's own orphan clean-up: far
 *     longer than an Icecap job, and than the long batch writes of other engines, whose files are
 *     written before their commit names them)
 * @param compactEvery how often workers look for partitions to compact ({@code
 *     icecap.maintenance.compact-interval-ms}; default 10 minutes)
 * @param compactMinFiles a partition is compacted when it has at least this many data files smaller
 *     than three quarters of the target size ({@code icecap.maintenance.compact-min-files}; default
 *     5), or any delete file, or files of an older partition spec
 */
public record MaintenancePolicy(
    Duration maxSnapshotAge,
    int minSnapshotsToKeep,
    Duration maxRefAge,
    long targetFileSizeBytes,
    boolean automatic,
    Duration expireEvery,
    Duration orphansEvery,
    Duration orphanGrace,
    Duration compactEvery,
    int compactMinFiles) {

  public static final String MAX_SNAPSHOT_AGE = TableProperties.MAX_SNAPSHOT_AGE_MS;
  public static final String MIN_SNAPSHOTS_TO_KEEP = TableProperties.MIN_SNAPSHOTS_TO_KEEP;
  public static final String MAX_REF_AGE = TableProperties.MAX_REF_AGE_MS;
  public static final String TARGET_FILE_SIZE = TableProperties.WRITE_TARGET_FILE_SIZE_BYTES;
  public static final String AUTOMATIC = "icecap.maintenance.enabled";
  public static final String EXPIRE_EVERY = "icecap.maintenance.expire-interval-ms";
  public static final String ORPHANS_EVERY = "icecap.maintenance.orphans-interval-ms";
  public static final String ORPHAN_GRACE = "icecap.maintenance.orphan-grace-ms";
  public static final String COMPACT_EVERY = "icecap.maintenance.compact-interval-ms";
  public static final String COMPACT_MIN_FILES = "icecap.maintenance.compact-min-files";

  /**
   * How long a table Icecap creates keeps its snapshots: one hour. A table written continuously
   * commits up to a few snapshots a second, and every snapshot kept costs about a kilobyte in each
   * {@code metadata.json} that every commit rewrites, plus the files only it references; an hour
   * bounds both (a few megabytes of metadata at the highest rate) while leaving an hour of time
   * travel. Set {@code history.expire.max-snapshot-age-ms} for more.
   */
  public static final long ICECAP_MAX_SNAPSHOT_AGE_MS = Duration.ofHours(1).toMillis();

  /** The retention properties written into the tables Icecap creates. */
  public static final Map<String, String> ICECAP_DEFAULTS =
      Map.of(MAX_SNAPSHOT_AGE, Long.toString(ICECAP_MAX_SNAPSHOT_AGE_MS));

  /**
   * Reads the policy of a table.
   *
   * @param table the table's name, for messages
   * @param properties its properties
   * @throws TablePropertyException when a property has a value the policy cannot use
   */
  public static MaintenancePolicy of(String table, Map<String, String> properties) {
    Reader read = new Reader(table, properties);
    Duration maxSnapshotAge =
        read.duration(MAX_SNAPSHOT_AGE, TableProperties.MAX_SNAPSHOT_AGE_MS_DEFAULT);
    return new MaintenancePolicy(
        maxSnapshotAge,
        read.count(MIN_SNAPSHOTS_TO_KEEP, TableProperties.MIN_SNAPSHOTS_TO_KEEP_DEFAULT, 1),
        read.duration(MAX_REF_AGE, TableProperties.MAX_REF_AGE_MS_DEFAULT),
        read.number(TARGET_FILE_SIZE, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT, 1),
        read.bool(AUTOMATIC, true),
        read.duration(
            EXPIRE_EVERY,
            Math.max(
                1_000, Math.min(Duration.ofMinutes(1).toMillis(), maxSnapshotAge.toMillis() / 10))),
        read.duration(ORPHANS_EVERY, Duration.ofDays(1).toMillis()),
        read.duration(ORPHAN_GRACE, Duration.ofDays(3).toMillis()),
        read.duration(COMPACT_EVERY, Duration.ofMinutes(10).toMillis()),
        read.count(COMPACT_MIN_FILES, 5, 2));
  }

  /**
   * Checks the properties a statement is about to set, as {@link #of} will read them.
   *
   * @throws TablePropertyException naming the first property whose value cannot be used
   */
  public static void check(String table, Map<String, String> properties) {
    of(table, properties);
  }

  private record Reader(String table, Map<String, String> properties) {
    long number(String property, long fallback, long min) {
      String value = properties.get(property);
      if (value == null) {
        return fallback;
      }
      long number;
      try {
        number = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new TablePropertyException(table, property, value, "a whole number");
      }
      if (number < min) {
        throw new TablePropertyException(
            table, property, value, min == 1 ? "a positive number" : "at least " + min);
      }
      return number;
    }

    int count(String property, int fallback, int min) {
      long number = number(property, fallback, min);
      if (number > Integer.MAX_VALUE) {
        throw new TablePropertyException(
            table, property, properties.get(property), "a number below 2^31");
      }
      return (int) number;
    }

    Duration duration(String property, long fallbackMillis) {
      return Duration.ofMillis(number(property, fallbackMillis, 1));
    }

    boolean bool(String property, boolean fallback) {
      String value = properties.get(property);
      if (value == null) {
        return fallback;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new TablePropertyException(table, property, value, "true or false");
      };
    }
  }
}
