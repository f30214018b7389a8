package io.icecap.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A {@code redis-server} from the embedded-redis jar on a free loopback port, without persistence:
 * the benchmarks' catalog lives only as long as the run.
 */
final class EmbeddedRedis implements AutoCloseable {
  private final RedisServer server;
  private final String uri;

  private EmbeddedRedis(RedisServer server, String uri) {
    this.server = server;
    this.uri = uri;
  }

  /** Starts a server whose working directory is {@code dir}. */
  static EmbeddedRedis start(Path dir) throws IOException {
    int port = freePort();
    RedisServer server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("dir " + dir.toAbsolutePath())
            .setting("appendonly no")
            .setting("save \"\"")
            .build();
    server.start();
    return new EmbeddedRedis(server, "redis://127.0.0.1:" + port);
  }

  /** The {@code redis://} URI of the server. */
  String uri() {
    return uri;
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
