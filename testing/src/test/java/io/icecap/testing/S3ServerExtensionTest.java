package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.S3ServerExtension.Backend;
import org.junit.jupiter.api.Test;

/** Backend selection; nothing here starts a server or probes Docker. */
class S3ServerExtensionTest {

  @Test
  void parsesBackendNames() {
    assertThat(Backend.parse(null)).isEqualTo(Backend.S3PROXY);
    assertThat(Backend.parse(" ")).isEqualTo(Backend.S3PROXY);
    assertThat(Backend.parse("s3proxy")).isEqualTo(Backend.S3PROXY);
    assertThat(Backend.parse("LocalStack")).isEqualTo(Backend.LOCALSTACK);
    assertThatThrownBy(() -> Backend.parse("minio"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("icecap.s3.backend")
        .hasMessageContaining("minio");
  }

  @Test
  void explicitBackendWins() {
    assertThat(new S3ServerExtension(Backend.LOCALSTACK).backend()).isEqualTo(Backend.LOCALSTACK);
    assertThat(new S3ServerExtension(Backend.S3PROXY).backend()).isEqualTo(Backend.S3PROXY);
  }

  @Test
  void defaultBackendFollowsTheSystemProperty() {
    String before = System.getProperty(S3ServerExtension.BACKEND_PROPERTY);
    try {
      System.clearProperty(S3ServerExtension.BACKEND_PROPERTY);
      assertThat(new S3ServerExtension().backend()).isEqualTo(Backend.S3PROXY);
      System.setProperty(S3ServerExtension.BACKEND_PROPERTY, "localstack");
      assertThat(new S3ServerExtension().backend()).isEqualTo(Backend.LOCALSTACK);
    } finally {
      if (before == null) {
        System.clearProperty(S3ServerExtension.BACKEND_PROPERTY);
      } else {
        System.setProperty(S3ServerExtension.BACKEND_PROPERTY, before);
      }
    }
  }

  @Test
  void serverIsUnavailableOutsideTheClassLifecycle() {
    assertThatThrownBy(() -> new S3ServerExtension().server())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("static field");
    assertThatThrownBy(() -> RedisServerExtension.builder().build().server())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("static field");
  }
}
