package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.icecap.testing.S3ServerExtension.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The extension as most tests use it: backend chosen by {@code -Dicecap.s3.backend}, S3Proxy by
 * default; with {@code localstack} and no Docker engine these tests are skipped.
 */
class S3ServerExtensionIT {

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @Test
  void startsTheBackendTheSystemPropertyNames(S3Endpoint s3) {
    Backend expected = Backend.parse(System.getProperty(S3ServerExtension.BACKEND_PROPERTY));
    assertThat(S3.backend()).isEqualTo(expected);
    assertThat(s3)
        .isInstanceOf(
            expected == Backend.S3PROXY ? TestingS3Server.class : TestingLocalStack.class);
  }

  @Test
  void serverWorksThroughTheSharedClient(S3Endpoint s3) {
    String bucket = s3.createBucket("extension-it");
    s3.s3Client().putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("v"));
    assertThat(s3.s3Client().getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String())
        .isEqualTo("v");
  }
}
