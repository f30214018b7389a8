package io.icecap.catalog;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/** A plain Redis connection, for tests that look at or tamper with the catalog's keys. */
final class RawRedis implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RawRedis(String uri) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
  }

  RedisCommands<String, String> sync() {
    return connection.sync();
  }

  /**
   * Pauses every client's write commands and scripts (not reads) for a while: {@code CLIENT PAUSE
   * millis WRITE}. A paused request stays queued and runs when the pause ends.
   */
  void pauseWrites(long millis) {
    String reply =
        connection
            .sync()
            .dispatch(
                CommandType.CLIENT,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(millis).add("WRITE"));
    if (!"OK".equals(reply)) {
      throw new IllegalStateException("CLIENT PAUSE answered " + reply);
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
