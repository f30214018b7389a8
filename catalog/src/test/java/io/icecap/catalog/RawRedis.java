package io.icecap.catalog;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

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

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
