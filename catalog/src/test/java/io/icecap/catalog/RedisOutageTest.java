package io.icecap.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.net.ConnectException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which Redis errors are outages that retrying mends, and how an outage starts and ends. */
class RedisOutageTest {
  private final RedisErrors errors = new RedisErrors("lake", "redis://127.0.0.1:6379");

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void anUnreachableServerIsAnOutageNamingTheServer() {
    RedisCatalogException e =
        errors.unreachable(
            "take an apply job",
            new RedisConnectionException(
                "Unable to connect to 127.0.0.1:6379", new ConnectException("Connection refused")));
    assertThat(e)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("Cannot take an apply job in catalog lake")
        .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:6379 (Connection refused)");
    assertThat(RedisOutage.isOutage(e)).isTrue();
  }

  @Test
  void aServerLoadingItsDataSetIsAnOutageAndNothingWasApplied() {
    RedisCatalogException e =
        errors.serverError(
            "read the log state of db.t",
            new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory"));
    assertThat(e)
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("is loading its data set into memory")
        .hasMessageContaining("the request was not applied");
    assertThat(RedisOutage.isOutage(e)).isTrue();
    assertThat(
            RedisOutage.isOutage(
                errors.unreachable(
                    "connect",
                    new RedisConnectionException(
                        "Unable to connect",
                        new RedisCommandExecutionException("LOADING Redis is loading")))))
        .isTrue();
  }

  @Test
  void aLostAnswerIsAnOutageEvenWrappedByIceberg() {
    UncertainOutcomeException lost =
        errors.connectionLost("commit table db.t", new RedisException("Connection reset"));
    assertThat(RedisOutage.isOutage(lost)).isTrue();
    assertThat(RedisOutage.isOutage(new CommitStateUnknownException(lost))).isTrue();
  }

  @Test
  void refusalsAndOtherErrorsAreNoOutage() {
    assertThat(
            RedisOutage.isOutage(
                errors.serverError(
                    "connect", new RedisCommandExecutionException("WRONGPASS invalid password"))))
        .isFalse();
    assertThat(
            RedisOutage.isOutage(
                errors.serverError(
                    "connect", new RedisCommandExecutionException("NOPERM no permission"))))
        .isFalse();
    assertThat(RedisOutage.isOutage(new IllegalStateException("bug"))).isFalse();
    assertThat(RedisOutage.isOutage(new IOException("disk"))).isFalse();
  }

  @Test
  void anInterruptIsNoOutageHasAMessageOfItsOwnAndKeepsTheFlag() {
    UncertainOutcomeException waiting =
        errors.interruptedAwaiting(
            "take an apply job", new RedisCommandInterruptedException(new InterruptedException()));
    assertThat(Thread.interrupted()).as("the interrupt flag is set again").isTrue();
    assertThat(waiting)
        .hasMessage(
            "Cannot take an apply job in catalog lake: interrupted while waiting for the answer"
                + " of Redis at redis://127.0.0.1:6379; the request may or may not have been"
                + " applied")
        .hasMessageNotContaining("null");
    assertThat(RedisOutage.isInterrupt(waiting)).isTrue();
    assertThat(RedisOutage.isOutage(waiting)).isFalse();

    RedisCatalogException connecting =
        errors.unreachable(
            "connect",
            new RedisConnectionException("Unable to connect", new InterruptedException()));
    assertThat(Thread.interrupted()).isTrue();
    assertThat(connecting)
        .isNotInstanceOf(RedisUnavailableException.class)
        .hasMessage(
            "Cannot connect in catalog lake: interrupted while connecting to Redis at"
                + " redis://127.0.0.1:6379; nothing was sent");
    assertThat(RedisOutage.isOutage(connecting)).isFalse();
  }

  @Test
  void anOutageStartsAtItsFirstFailureAndEndsAtTheFirstAnswer() {
    RedisOutage outage = new RedisOutage("redis://127.0.0.1:6379");
    RedisCatalogException down =
        errors.unreachable(
            "connect", new RedisConnectionException("x", new ConnectException("refused")));
    assertThat(outage.isDown()).isFalse();
    outage.answered();
    assertThat(outage.isDown()).isFalse();
    assertThat(outage.failed(down)).isTrue();
    assertThat(outage.isDown()).isTrue();
    assertThat(outage.failed(down)).isTrue();
    assertThat(outage.failed(new IllegalStateException("not Redis"))).isFalse();
    assertThat(outage.isDown()).isTrue();
    outage.answered();
    assertThat(outage.isDown()).isFalse();
  }

  @Test
  void aRequestRejectedOnAClosedConnectionWasNeverSent() {
    assertThat(RedisErrors.neverSent(new RedisException("Connection is closed"))).isTrue();
    assertThat(
            RedisErrors.neverSent(
                new RedisException("Currently not connected. Commands are rejected.")))
        .isTrue();
    assertThat(RedisErrors.neverSent(new RedisException("Connection reset by peer"))).isFalse();
  }
}
