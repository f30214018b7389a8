package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.S3ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read cache on a real, nearly full disk: a tmpfs of 19 MiB mounted on the session's cache
 * directory, which leaves room for one 2 MB table file beside the cache's 16 MiB reserve. Mounting
 * needs root (or CAP_SYS_ADMIN); elsewhere the test is skipped and says so.
 */
class CacheDiskFullIT {
  private static final long DISK_BYTES = ReadCache.FREE_RESERVE + (4L << 20);

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @TempDir Path home;
  private Path cacheDir;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    cacheDir = Files.createDirectories(home.resolve("cache"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + DISK_BYTES, "tmpfs", cacheDir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(mount.getInputStream().readAllBytes());
    boolean done = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(
        done,
        "Skipped: mounting a small tmpfs for the cache needs root or CAP_SYS_ADMIN ("
            + output.strip()
            + ")");
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", cacheDir.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileTheDiskCannotHoldIsACacheFullErrorAndTheSessionGoesOn() throws Exception {
    String bucket = S3.server().createBucket("warehouse-" + UUID.randomUUID());
    IcecapConfig config =
        IcecapConfig.redis(REDIS.server().uri(), "s3://" + bucket + "/lake", home)
            .withWorkers(1)
            .withCatalogProperties(S3.server().fileIoProperties());
    try (IcecapSession session = Icecap.connect(config)) {
      session.execute("CREATE SCHEMA d");
      session.execute(
          "CREATE TABLE d.blobs (part INTEGER NOT NULL, id BIGINT, text VARCHAR)"
              + " PARTITIONED BY (part)");
      for (int part = 1; part <= 2; part++) {
        session.execute(
            "INSERT INTO d.blobs SELECT "
                + part
                + ", i, md5(i::VARCHAR || '"
                + part
                + "') || md5((i + 7)::VARCHAR || '"
                + part
                + "') FROM range(100000) AS r(i)");
      }
      long fileBytes =
          session
              .table("d.blobs")
              .currentSnapshot()
              .addedDataFiles(session.table("d.blobs").io())
              .iterator()
              .next()
              .fileSizeInBytes();
      assertThat(fileBytes).as("one partition's file").isBetween(2L << 20, 4L << 20);

      assertThat(count(session, "SELECT count(*) FROM d.blobs WHERE part = 1")).isEqualTo(100000);
      CacheStats first = session.cacheStats();
      assertThat(first.entries()).isEqualTo(1);

      // no room for the second partition beside the first: the first, no longer held, goes
      assertThat(count(session, "SELECT count(*) FROM d.blobs WHERE part = 2")).isEqualTo(100000);
      CacheStats second = session.cacheStats();
      assertThat(second.evictions() - first.evictions()).isEqualTo(1);
      assertThat(second.entries()).isEqualTo(1);

      // both partitions in one query cannot fit: a clear error, and no partial file left behind
      assertThatThrownBy(() -> session.query("SELECT count(*) FROM d.blobs"))
          .isInstanceOfSatisfying(
              IcecapException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CACHE_FULL))
          .hasMessageContaining("free on its disk")
          .hasMessageContaining(cacheDir.toString());
      try (Stream<Path> files = Files.list(cacheDir)) {
        assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".part"));
      }

      // the session stays usable
      assertThat(count(session, "SELECT count(*) FROM d.blobs WHERE part = 1")).isEqualTo(100000);
      assertThat(count(session, "SELECT count(*) FROM d.blobs WHERE part = 2")).isEqualTo(100000);
    }
  }

  private static long count(IcecapSession session, String sql) throws Exception {
    try (ResultSet rows = session.query(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
