package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.RedisServerExtension;
import io.icecap.testing.TestingTcpProxy;
import io.icecap.txn.CommitToken;
import io.icecap.txn.log.TransactionLog;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose answer from Redis is lost: the request ran (or may have), the client never heard.
 * The client gets the committed result or {@link ErrorCode#WRITE_OUTCOME_UNKNOWN} with the
 * transaction id, never {@link ErrorCode#CONNECTION_FAILED}, and the write is applied once. A Redis
 * that cannot be reached before the request is sent is {@link ErrorCode#CONNECTION_FAILED}.
 */
class WriteOutcomeIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  @TempDir Path warehouse;
  @TempDir Path home;
  private TestingTcpProxy proxy;

  @BeforeEach
  void startProxy() {
    REDIS.flushAll();
    proxy = TestingTcpProxy.start(REDIS.server().host(), REDIS.server().port());
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void aReplyLostAfterTheAppendRanIsResentAndTheWriteAppliedOnce() throws Exception {
    try (IcecapSession session = connect(Map.of())) {
      proxy.loseReplyTo("lost-reply", false);

      assertThat(session.execute("INSERT INTO s.t VALUES (1, 'lost-reply')")).isEqualTo(1);

      assertThat(proxy.lostReplies()).as("the append's reply was dropped").isEqualTo(1);
      assertThat(count(session, "SELECT count(*) FROM s.t WHERE id = 1")).isEqualTo(1);
      assertThat(session.logStatus("s.t", 0).head()).as("appended once").isEqualTo(2);
    }
  }

  @Test
  void noAnswerWithinTheResendWindowIsAnUnknownOutcomeWithTheTransactionId() throws Exception {
    try (IcecapSession session = connect(Map.of(TransactionLog.RESEND_WINDOW_MS, "1500"))) {
      proxy.loseReplyTo("unanswered", true);

      WriteOutcomeUnknownException unknown =
          (WriteOutcomeUnknownException)
              catchIcecap(() -> session.execute("INSERT INTO s.t VALUES (1, 'unanswered')"));

      assertThat(unknown.code()).isEqualTo(ErrorCode.WRITE_OUTCOME_UNKNOWN);
      assertThat(unknown.table()).isEqualTo("s.t");
      assertThat(unknown.getMessage())
          .contains(unknown.transactionId())
          .contains("may have been applied")
          .contains("icecap log s.t --transaction=" + unknown.transactionId());

      proxy.accept();
      Optional<CommitToken> found = session.findTransaction("s.t", unknown.transactionId());
      assertThat(found).as("the append ran before its reply was lost").isPresent();
      assertThat(session.await(found.get()).rowCounts()).containsExactly(1L);
      assertThat(count(session, "SELECT count(*) FROM s.t WHERE id = 1")).isEqualTo(1);
      assertThat(session.findTransaction("s.t", "no-such-transaction")).isEmpty();
    }
  }

  @Test
  void aPausedRedisThatWakesWithinTheWindowAnswersTheResentAppend() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (IcecapSession session = connect(Map.of("redis.timeout-ms", "300"))) {
      REDIS.server().pause();
      timer.schedule(() -> REDIS.server().resume(), 1_500, TimeUnit.MILLISECONDS);

      // each request times out while Redis is stopped; the resends queue behind the first
      CommitToken token = session.executeAsync("INSERT INTO s.t VALUES (1, 'paused')");

      assertThat(session.await(token).rowCounts()).containsExactly(1L);
      assertThat(count(session, "SELECT count(*) FROM s.t WHERE id = 1")).isEqualTo(1);
      assertThat(session.logStatus("s.t", 0).head()).as("appended once").isEqualTo(2);
    } finally {
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
      if (REDIS.server().isPaused()) {
        REDIS.server().resume();
      }
    }
  }

  @Test
  void aRedisThatRefusesTheConnectionBeforeTheRequestIsConnectionFailed() throws Exception {
    try (IcecapSession session = connect(Map.of())) {
      proxy.refuse();
      // let the client see its connection reset before the write tries to use it
      Thread.sleep(300);

      IcecapException refused =
          catchIcecap(() -> session.execute("INSERT INTO s.t VALUES (1, 'refused')"));

      assertThat(refused.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
      assertThat(refused.getMessage()).contains("cannot reach Redis");
      proxy.accept();
      assertThat(session.logStatus("s.t", 0).head()).as("nothing appended").isEqualTo(1);
    }
  }

  /** A session through the proxy, with a table {@code s.t} holding one row (id 0). */
  private IcecapSession connect(Map<String, String> properties) {
    IcecapSession session =
        Icecap.connect(
            IcecapConfig.redis("redis://127.0.0.1:" + proxy.port(), warehouse.toString(), home)
                .withWorkers(1)
                .withWriteTimeout(Duration.ofSeconds(30))
                .withCatalogProperties(properties));
    session.execute("CREATE SCHEMA s");
    session.execute("CREATE TABLE s.t (id BIGINT NOT NULL, note VARCHAR)");
    // the first write marks the table active: later writes go straight to the append
    session.execute("INSERT INTO s.t VALUES (0, 'first')");
    return session;
  }

  private static IcecapException catchIcecap(Runnable write) {
    try {
      write.run();
    } catch (IcecapException e) {
      return e;
    }
    throw new AssertionError("The write did not fail");
  }

  private static long count(IcecapSession session, String sql) throws Exception {
    try (ResultSet rows = session.query(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
