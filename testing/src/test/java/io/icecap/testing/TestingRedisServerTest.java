package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of an unstarted server: nothing here launches redis-server. */
class TestingRedisServerTest {

  @Test
  void buildPicksAFreePortAndAFreshDataDirWithoutStarting() {
    try (TestingRedisServer server = TestingRedisServer.builder().build()) {
      assertThat(server.port()).isBetween(1, 65535);
      assertThat(server.host()).isEqualTo("127.0.0.1");
      assertThat(server.isRunning()).isFalse();
      assertThat(server.dataDir()).isDirectory();
      assertThat(server.dataDir().getFileName().toString()).startsWith("icecap-redis-");
    }
  }

  @Test
  void buildsNeverShareAPort() {
    try (TestingRedisServer a = TestingRedisServer.builder().build();
        TestingRedisServer b = TestingRedisServer.builder().build()) {
      assertThat(a.port()).isNotEqualTo(b.port());
      assertThat(a.dataDir()).isNotEqualTo(b.dataDir());
    }
  }

  @Test
  void uriCarriesNoCredentialsUnlessAsked() {
    try (TestingRedisServer server = TestingRedisServer.builder().port(16379).build()) {
      assertThat(server.uri()).isEqualTo("redis://127.0.0.1:16379");
      assertThat(server.uri("default", "s3cret"))
          .isEqualTo("redis://default:s3cret@127.0.0.1:16379");
      assertThat(server.uri("us er", "p@ss:w/rd+%"))
          .isEqualTo("redis://us%20er:p%40ss%3Aw%2Frd%2B%25@127.0.0.1:16379");
    }
  }

  @Test
  void closeDeletesOnlyADataDirItCreated(@TempDir Path tmp) {
    Path own;
    try (TestingRedisServer server = TestingRedisServer.builder().build()) {
      own = server.dataDir();
    }
    assertThat(own).doesNotExist();

    Path given = tmp.resolve("data");
    try (TestingRedisServer server = TestingRedisServer.builder().dataDir(given).build()) {
      assertThat(server.dataDir()).isEqualTo(given);
    }
    assertThat(given).isDirectory();
  }

  @Test
  void versionAndKillNeedARunningServer() {
    try (TestingRedisServer server = TestingRedisServer.builder().build()) {
      assertThatThrownBy(server::version).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(server::kill)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not running");
      server.stop();
    }
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> TestingRedisServer.builder().port(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestingRedisServer.builder().password(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestingRedisServer.builder().aclUser("two words", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestingRedisServer.builder().aclUser(null, "pw"))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void closedServerCannotStart() {
    TestingRedisServer server = TestingRedisServer.builder().build();
    server.close();
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(Files.exists(server.dataDir())).isFalse();
  }
}
