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

  @Test
  void tlsUriAndCertificateBeforeStart() throws Exception {
    try (TestingRedisServer server = TestingRedisServer.builder().tls(true).port(16380).build()) {
      assertThat(server.isTls()).isTrue();
      assertThat(server.uri()).isEqualTo("rediss://127.0.0.1:16380");
      assertThat(server.uri("default", "s3cret"))
          .isEqualTo("rediss://default:s3cret@127.0.0.1:16380");
      Path certificate = server.tlsCertificate();
      assertThat(certificate).isEqualTo(server.dataDir().resolve("redis.crt"));
      assertThat(certificate).content().startsWith("-----BEGIN CERTIFICATE-----\n");
      assertThat(server.dataDir().resolve("redis.key"))
          .content()
          .startsWith("-----BEGIN PRIVATE KEY-----\n");
      assertThat(server.dataDir().resolve("redis-tls.p12")).isRegularFile();
    }
  }

  @Test
  void aBrokenKeyStoreIsReplaced(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("redis-tls.p12"), "not a key store");
    try (TestingRedisServer server = TestingRedisServer.builder().tls(true).dataDir(tmp).build()) {
      assertThat(server.tlsCertificate()).content().startsWith("-----BEGIN CERTIFICATE-----\n");
    }
    assertThat(tmp.resolve("redis.crt")).isRegularFile();
  }

  @Test
  void recognisesTheLogOfABinaryWithoutTls() {
    // What redis-server 6.2 prints for a directive it does not know, here the first tls-* one.
    String withoutTls =
        "*** FATAL CONFIG FILE ERROR (Redis 6.2.11) ***\n"
            + "Reading the configuration file, at line 3\n"
            + ">>> 'tls-port 40123'\n"
            + "Bad directive or wrong number of arguments";
    assertThat(TestingRedisServer.lacksTls(withoutTls)).isTrue();
    String otherTypo =
        "*** FATAL CONFIG FILE ERROR (Redis 6.2.11) ***\n"
            + ">>> 'maxmemroy 1gb'\n"
            + "Bad directive or wrong number of arguments";
    assertThat(TestingRedisServer.lacksTls(otherTypo)).isFalse();
    assertThat(TestingRedisServer.lacksTls("# Failed to configure TLS. Check logs for more info."))
        .isFalse();
  }
}
