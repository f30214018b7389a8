package io.icecap.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * A {@code redis-server} from the embedded-redis jar on a free loopback port. Without persistence
 * the benchmarks' catalog lives only as long as the run; with durable acknowledgements every write
 * is in the append-only file, forced to disk, before Redis answers it.
 */
final class EmbeddedRedis implements AutoCloseable {
  private final RedisServer server;
  private final String uri;

  private EmbeddedRedis(RedisServer server, String uri) {
    this.server = server;
    this.uri = uri;
  }

  /** Starts a server without persistence whose working directory is {@code dir}. */
  static EmbeddedRedis start(Path dir) throws IOException {
    return start(dir, false);
  }

  /**
   * Starts a server whose working directory is {@code dir}.
   *
   * @param durable with {@code appendonly yes} and {@code appendfsync always}: a write is
   *     acknowledged after the append-only file is forced to disk; else no persistence at all
   */
  static EmbeddedRedis start(Path dir, boolean durable) throws IOException {
    int port = freePort();
    RedisServer server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("dir " + dir.toAbsolutePath())
            .setting(durable ? "appendonly yes" : "appendonly no")
            .setting(durable ? "appendfsync always" : "appendfsync everysec")
            .setting("save \"\"")
            .build();
    server.start();
    return new EmbeddedRedis(server, "redis://127.0.0.1:" + port);
  }

  /** The {@code redis://} URI of the server. */
  String uri() {
    return uri;
  }

  /**
   * What the running server says about itself: {@code version}, {@code appendonly} and {@code
   * appendfsync}, read back with INFO and CONFIG GET rather than taken from the settings asked for.
   */
  Map<String, String> settings() {
    RedisClient client = RedisClient.create(uri);
    client.setDefaultTimeout(Duration.ofSeconds(10));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      String version = "unknown";
      for (String line : redis.info("server").split("\r?\n")) {
        if (line.startsWith("redis_version:")) {
          version = line.substring("redis_version:".length()).trim();
        }
      }
      return Map.of(
          "version",
          version,
          "appendonly",
          redis.configGet("appendonly").getOrDefault("appendonly", "unknown"),
          "appendfsync",
          redis.configGet("appendfsync").getOrDefault("appendfsync", "unknown"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /**
   * {@link #settings()}, checked to be durable: {@code appendonly yes} and {@code appendfsync
   * always}, so every acknowledged write is forced to disk before Redis answers it.
   *
   * @throws IllegalStateException when the server reports other settings
   */
  Map<String, String> durableSettings() {
    Map<String, String> settings = settings();
    if (!"yes".equals(settings.get("appendonly"))
        || !"always".equals(settings.get("appendfsync"))) {
      throw new IllegalStateException(
          "Cannot measure durable acknowledgements: redis-server reports appendonly "
              + settings.get("appendonly")
              + ", appendfsync "
              + settings.get("appendfsync")
              + " instead of yes and always");
    }
    return settings;
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
