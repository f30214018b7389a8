package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.testing.S3ServerExtension.Backend;
import java.net.ConnectException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 contract against the in-process S3Proxy, plus what is particular to it. */
class TestingS3ServerIT extends S3EndpointContract {

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension(Backend.S3PROXY);

  @Override
  S3Endpoint endpoint() {
    return S3.server();
  }

  @Test
  void resolvesBothTheInterfaceAndTheConcreteType(S3Endpoint endpoint, TestingS3Server server) {
    assertThat(endpoint).isSameAs(server).isSameAs(S3.server());
    assertThat(server.endpoint().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(server.accessKey()).isEqualTo("icecap-test");
    assertThat(server.secretKey()).isEqualTo("icecap-test-secret");
    assertThat(server.region()).isEqualTo("us-east-1");
    assertThat(server.s3Client()).isSameAs(server.s3Client());
  }

  @Test
  void objectsAreRealFilesInTheDataDir(TestingS3Server server) {
    server
        .s3Client()
        .putObject(r -> r.bucket(bucket).key("a/b/c.txt"), RequestBody.fromString("on disk"));

    Path file = server.dataDir().resolve(bucket).resolve("a/b/c.txt");
    assertThat(file).isRegularFile().hasContent("on disk");
  }

  @Test
  void requestsSignedWithTheWrongSecretAreRejected(TestingS3Server server) {
    try (S3Client intruder =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .forcePathStyle(true)
            .region(Region.of(server.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(server.accessKey(), "not-the-secret")))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build()) {
      assertThatThrownBy(() -> intruder.listObjectsV2(r -> r.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void standaloneServerStopsAndCleansUpOnClose() {
    TestingS3Server server = TestingS3Server.start();
    Path dataDir = server.dataDir();
    S3Client client = server.s3Client();
    server.createBucket("short-lived");
    server.s3Client().putObject(r -> r.bucket("short-lived").key("k"), RequestBody.fromString("v"));
    assertThat(server.port()).isNotEqualTo(S3.server().endpoint().getPort());

    server.close();
    server.close(); // idempotent

    assertThat(dataDir).doesNotExist();
    assertThatThrownBy(server::s3Client).isInstanceOf(IllegalStateException.class);
    try (S3Client late =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .forcePathStyle(true)
            .region(Region.of(server.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
            .build()) {
      assertThatThrownBy(() -> late.listBuckets())
          .isInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(ConnectException.class);
    }
    assertThat(client).isNotNull();
  }
}
