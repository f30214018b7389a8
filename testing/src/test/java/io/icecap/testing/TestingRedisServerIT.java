package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TestingRedisServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();

  @BeforeEach
  void isolate() {
    REDIS.flushAll();
  }

  @Test
  void extensionStartsARealServerAndResolvesIt(TestingRedisServer server) throws IOException {
    assertThat(server).isSameAs(REDIS.server());
    assertThat(server.isRunning()).isTrue();
    assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
    assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+");

    // A hand-written RESP exchange, independent of the fixture's own client.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(server.host(), server.port()), 2000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void setAndGetOverRawResp() {
    try (RespConnection redis = REDIS.server().connect()) {
      assertThat(redis.call("SET", "greeting", "héllo wörld")).isEqualTo("OK");
      assertThat(redis.call("GET", "greeting")).isEqualTo("héllo wörld");
      assertThat(redis.call("GET", "missing")).isNull();
      assertThat(redis.call("INCR", "counter")).isEqualTo(1L);
      assertThat(redis.call("DBSIZE")).isEqualTo(2L);
    }
  }

  @Test
  void flushAllEmptiesTheServer() {
    try (RespConnection redis = REDIS.server().connect()) {
      redis.call("SET", "k", "v");
      REDIS.flushAll();
      assertThat(redis.call("DBSIZE")).isEqualTo(0L);
    }
  }

  @Test
  void appendOnlyAlwaysKeepsEveryAcknowledgedWriteAcrossKill9() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().appendOnly(true).build().start()) {
      int port = server.port();
      Path dataDir = server.dataDir();
      writeKeys(server, 200);

      server.kill();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> RespConnection.open(server.host(), port, TIMEOUT))
          .isInstanceOf(UncheckedIOException.class);

      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.dataDir()).isEqualTo(dataDir);
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(200L);
        assertThat(redis.call("GET", "key-0")).isEqualTo("value-0");
        assertThat(redis.call("GET", "key-199")).isEqualTo("value-199");
      }
    }
  }

  @Test
  void withoutAppendOnlyKillLosesEverything() {
    try (TestingRedisServer server = TestingRedisServer.builder().build().start()) {
      writeKeys(server, 50);
      server.kill();
      server.restart();
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(0L);
      }
    }
  }

  @Test
  void gracefulStopAndStartKeepTheAppendOnlyFile() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().appendOnly(true).build().start()) {
      writeKeys(server, 10);
      server.stop();
      assertThat(server.isRunning()).isFalse();
      server.stop(); // idempotent
      server.start();
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(10L);
      }
      assertThat(server.logFile()).content().contains("Ready to accept connections");
    }
  }

  @Test
  void restartOfARunningServerStopsItFirst() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().appendOnly(true).build().start()) {
      writeKeys(server, 3);
      server.restart();
      assertThat(server.isRunning()).isTrue();
      try (RespConnection redis = server.connect()) {
        assertThat(redis.call("DBSIZE")).isEqualTo(3L);
      }
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already running");
    }
  }

  @Test
  void passwordIsRequired() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().password("s3cr3t \"quoted\"").build().start()) {
      try (RespConnection anonymous = RespConnection.open(server.host(), server.port(), TIMEOUT)) {
        assertThatThrownBy(() -> anonymous.call("GET", "k"))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageStartingWith("NOAUTH");
        assertThatThrownBy(() -> anonymous.call("AUTH", "wrong"))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageContaining("WRONGPASS");
        assertThat(anonymous.call("AUTH", "s3cr3t \"quoted\"")).isEqualTo("OK");
        assertThat(anonymous.call("SET", "k", "v")).isEqualTo("OK");
      }
      assertThat(server.uri()).doesNotContain("s3cr3t");
      assertThat(server.uri("default", "s3cr3t \"quoted\""))
          .isEqualTo("redis://default:s3cr3t%20%22quoted%22@127.0.0.1:" + server.port());
    }
  }

  @Test
  void aclUserCanAuthenticateAndTheDefaultUserStaysOpen() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().aclUser("icecap", "catalog-pw").build().start()) {
      try (RespConnection redis = RespConnection.open(server.host(), server.port(), TIMEOUT)) {
        assertThat(redis.call("SET", "by-default-user", "1")).isEqualTo("OK");
        assertThatThrownBy(() -> redis.call("AUTH", "icecap", "nope"))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageContaining("WRONGPASS");
        assertThat(redis.call("AUTH", "icecap", "catalog-pw")).isEqualTo("OK");
        assertThat(redis.call("ACL", "WHOAMI")).isEqualTo("icecap");
        assertThat(redis.call("SET", "by-icecap", "2")).isEqualTo("OK");
        assertThat(redis.call("PUBLISH", "any-channel", "msg")).isEqualTo(0L);
        assertThat(redis.call("DBSIZE")).isEqualTo(2L);
      }
    }
  }

  @Test
  void aclUserWithPasswordProtectedDefaultUser() {
    try (TestingRedisServer server =
        TestingRedisServer.builder().password("admin").aclUser("app", "app-pw").build().start()) {
      try (RespConnection redis = RespConnection.open(server.host(), server.port(), TIMEOUT)) {
        assertThatThrownBy(() -> redis.call("PING"))
            .isInstanceOf(RespConnection.ErrorReply.class)
            .hasMessageStartingWith("NOAUTH");
        assertThat(redis.call("AUTH", "app", "app-pw")).isEqualTo("OK");
        assertThat(redis.call("PING")).isEqualTo("PONG");
      }
      assertThat(server.version()).isNotBlank();
    }
  }

  @Test
  void twoServersRunSideBySideOnDifferentPorts() {
    try (TestingRedisServer first = TestingRedisServer.builder().build().start();
        TestingRedisServer second = TestingRedisServer.builder().build().start()) {
      assertThat(first.port()).isNotEqualTo(second.port()).isNotEqualTo(REDIS.server().port());
      try (RespConnection a = first.connect();
          RespConnection b = second.connect()) {
        a.call("SET", "where", "first");
        assertThat(b.call("GET", "where")).isNull();
        b.call("SET", "where", "second");
        assertThat(a.call("GET", "where")).isEqualTo("first");
      }
    }
  }

  @Test
  void userGivenDataDirIsUsedAndKept(@TempDir Path tmp) {
    Path dir = tmp.resolve("redis-data");
    try (TestingRedisServer server =
        TestingRedisServer.builder().appendOnly(true).dataDir(dir).build().start()) {
      writeKeys(server, 1);
    }
    assertThat(dir).isDirectory();
    assertThat(dir.resolve("redis-server.log")).exists();
    // The AOF is appendonly.aof in Redis 6 and a directory of files in Redis 7+.
    assertThat(dir.toFile().list()).anyMatch(name -> name.startsWith("appendonly"));
  }

  @Test
  void failureToStartReportsTheLogTail() throws IOException {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        TestingRedisServer server =
            TestingRedisServer.builder().port(occupied.getLocalPort()).build()) {
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("last lines of")
          .hasMessageContaining("Address already in use");
      assertThat(server.isRunning()).isFalse();
    }
  }

  private static void writeKeys(TestingRedisServer server, int count) {
    try (RespConnection redis = server.connect()) {
      for (int i = 0; i < count; i++) {
        assertThat(redis.call("SET", "key-" + i, "value-" + i)).isEqualTo("OK");
      }
    }
  }
}
