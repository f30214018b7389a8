package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingS3Server;
import io.icecap.txn.CommitToken;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's S3 API stops answering in the middle of a session: queries fail with a clear
 * error, writes are still acknowledged into the log, and once S3 is back the same session reads
 * again and the writes made during the outage are applied, none lost.
 */
class StorageOutageIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path home;

  @Test
  void anUnreachableWarehouseFailsQueriesClearlyAndLosesNoWrite() throws Exception {
    try (TestingS3Server s3 = TestingS3Server.start()) {
      String bucket = s3.createBucket("warehouse");
      IcecapConfig config =
          IcecapConfig.redis(REDIS.server().uri(), "s3://" + bucket + "/lake", home)
              .withWorkers(1)
              .withWriteTimeout(Duration.ofSeconds(3))
              .withCatalogProperties(s3.fileIoProperties());
      try (IcecapSession session = Icecap.connect(config)) {
        session.execute("CREATE SCHEMA s");
        session.execute(
            "CREATE TABLE s.events (part INTEGER NOT NULL, id BIGINT) PARTITIONED BY (part)");
        session.execute("INSERT INTO s.events VALUES (1, 10), (2, 20)");
        assertThat(count(session, "SELECT count(*) FROM s.events WHERE part = 1")).isEqualTo(1);

        s3.stop();

        assertThatThrownBy(() -> session.query("SELECT count(*) FROM s.events WHERE part = 2"))
            .isInstanceOfSatisfying(
                IcecapException.class,
                e ->
                    assertThat(e.code()).isIn(ErrorCode.STORAGE_ERROR, ErrorCode.CONNECTION_FAILED))
            .hasMessageContaining("s3://" + bucket + "/lake");

        // the log is in Redis: the write is acknowledged, and applied once S3 is back
        CommitToken during = session.executeAsync("INSERT INTO s.events VALUES (2, 21)");
        assertThatThrownBy(() -> session.await(during))
            .isInstanceOfSatisfying(
                IcecapException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WRITE_TIMEOUT));

        s3.restart();

        assertThat(session.await(during).committed()).isTrue();
        assertThat(count(session, "SELECT count(*) FROM s.events WHERE part = 2")).isEqualTo(2);
        assertThat(count(session, "SELECT sum(id) FROM s.events")).isEqualTo(10 + 20 + 21);
      }
    }
  }

  private static long count(IcecapSession session, String sql) throws Exception {
    try (ResultSet rows = session.query(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
