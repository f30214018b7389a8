package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 operations Iceberg's S3FileIO relies on, run against any {@link S3Endpoint}. Subclasses
 * register an {@link S3ServerExtension} and return its server.
 */
abstract class S3EndpointContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;

  protected String bucket;

  /** Returns the server under test. */
  abstract S3Endpoint endpoint();

  @BeforeEach
  void createBucket() {
    bucket = endpoint().createBucket("bucket-" + BUCKETS.incrementAndGet());
  }

  S3Client s3() {
    return endpoint().s3Client();
  }

  @Test
  void putThenGetReturnsTheSameBytes() {
    byte[] data = randomBytes(10_000, 1);
    s3().putObject(r -> r.bucket(bucket).key("dir/data.bin"), RequestBody.fromBytes(data));

    ResponseBytes<GetObjectResponse> got =
        s3().getObjectAsBytes(r -> r.bucket(bucket).key("dir/data.bin"));

    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().contentLength()).isEqualTo(data.length);
  }

  @Test
  void rangedGetReturnsOnlyTheRequestedBytes() {
    byte[] data = randomBytes(4096, 2);
    s3().putObject(r -> r.bucket(bucket).key("ranged"), RequestBody.fromBytes(data));

    ResponseBytes<GetObjectResponse> middle =
        s3().getObjectAsBytes(r -> r.bucket(bucket).key("ranged").range("bytes=100-199"));
    ResponseBytes<GetObjectResponse> tail =
        s3().getObjectAsBytes(r -> r.bucket(bucket).key("ranged").range("bytes=-8"));

    assertThat(middle.asByteArray()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    assertThat(middle.response().contentLength()).isEqualTo(100);
    assertThat(middle.response().contentRange()).isEqualTo("bytes 100-199/4096");
    assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(data, 4088, 4096));
  }

  @Test
  void headReportsLengthAndETagAndMissingKeysAre404() {
    byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
    String etag =
        s3().putObject(r -> r.bucket(bucket).key("hello.txt"), RequestBody.fromBytes(data)).eTag();

    HeadObjectResponse head = s3().headObject(r -> r.bucket(bucket).key("hello.txt"));

    assertThat(head.contentLength()).isEqualTo(5);
    assertThat(head.eTag()).isEqualTo(etag).isEqualTo("\"5d41402abc4b2a76b9719d911017c592\"");
    assertThatThrownBy(() -> s3().headObject(r -> r.bucket(bucket).key("absent")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> s3().getObjectAsBytes(r -> r.bucket(bucket).key("absent")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void deleteObjectRemovesIt() {
    s3().putObject(r -> r.bucket(bucket).key("doomed"), RequestBody.fromString("x"));

    s3().deleteObject(r -> r.bucket(bucket).key("doomed"));

    assertThatThrownBy(() -> s3().headObject(r -> r.bucket(bucket).key("doomed")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void deleteObjectsRemovesManyAtOnce() {
    for (int i = 0; i < 5; i++) {
      String key = "batch/" + i;
      s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
    }

    DeleteObjectsResponse deleted =
        s3().deleteObjects(
                r ->
                    r.bucket(bucket)
                        .delete(
                            d ->
                                d.objects(
                                    ObjectIdentifier.builder().key("batch/0").build(),
                                    ObjectIdentifier.builder().key("batch/2").build(),
                                    ObjectIdentifier.builder().key("batch/4").build())));

    assertThat(deleted.errors()).isEmpty();
    assertThat(deleted.deleted())
        .extracting(d -> d.key())
        .containsExactlyInAnyOrder("batch/0", "batch/2", "batch/4");
    assertThat(keys(s3().listObjectsV2(r -> r.bucket(bucket))))
        .containsExactly("batch/1", "batch/3");
  }

  @Test
  void listObjectsV2FiltersByPrefixAndPaginates() {
    for (String key : List.of("t/data/a", "t/data/b", "t/data/c", "t/metadata/v1.json", "u/x")) {
      s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
    }

    assertThat(keys(s3().listObjectsV2(r -> r.bucket(bucket).prefix("t/data/"))))
        .containsExactly("t/data/a", "t/data/b", "t/data/c");
    assertThat(keys(s3().listObjectsV2(r -> r.bucket(bucket).prefix("t/"))))
        .containsExactly("t/data/a", "t/data/b", "t/data/c", "t/metadata/v1.json");
    assertThat(s3().listObjectsV2(r -> r.bucket(bucket).prefix("none/")).contents()).isEmpty();

    List<String> paged = new ArrayList<>();
    s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix("t/").maxKeys(2))
        .forEach(page -> paged.addAll(keys(page)));
    assertThat(paged).containsExactly("t/data/a", "t/data/b", "t/data/c", "t/metadata/v1.json");

    ListObjectsV2Response delimited =
        s3().listObjectsV2(r -> r.bucket(bucket).prefix("t/").delimiter("/"));
    assertThat(delimited.commonPrefixes())
        .extracting(p -> p.prefix())
        .containsExactly("t/data/", "t/metadata/");
  }

  @Test
  void multipartUploadAssemblesThePartsInOrder() {
    byte[] first = randomBytes(5 * MIB, 3);
    byte[] second = randomBytes(5 * MIB, 4);
    byte[] last = randomBytes(123_457, 5);
    String key = "warehouse/db/t/data/big.parquet";

    String uploadId =
        s3().createMultipartUpload(
                r -> r.bucket(bucket).key(key).contentType("application/octet-stream"))
            .uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    byte[][] chunks = {first, second, last};
    for (int i = 0; i < chunks.length; i++) {
      int partNumber = i + 1;
      String etag =
          s3().uploadPart(
                  r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                  RequestBody.fromBytes(chunks[i]))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
    }
    assertThat(s3().listMultipartUploads(r -> r.bucket(bucket)).uploads())
        .extracting(u -> u.uploadId())
        .containsExactly(uploadId);

    s3().completeMultipartUpload(
            r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));

    byte[] whole = s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    assertThat(whole.length).isEqualTo(first.length + second.length + last.length);
    assertThat(Arrays.copyOfRange(whole, 0, first.length)).isEqualTo(first);
    assertThat(Arrays.copyOfRange(whole, first.length, first.length + second.length))
        .isEqualTo(second);
    assertThat(Arrays.copyOfRange(whole, first.length + second.length, whole.length))
        .isEqualTo(last);
    assertThat(s3().headObject(r -> r.bucket(bucket).key(key)).eTag()).endsWith("-3\"");
    // A ranged read across the boundary of parts 1 and 2.
    int from = first.length - 10;
    byte[] across =
        s3().getObjectAsBytes(
                r -> r.bucket(bucket).key(key).range("bytes=" + from + "-" + (from + 19)))
            .asByteArray();
    assertThat(across).isEqualTo(Arrays.copyOfRange(whole, from, from + 20));
    assertThat(s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void abortedMultipartUploadLeavesNothing() {
    String uploadId = s3().createMultipartUpload(r -> r.bucket(bucket).key("aborted")).uploadId();
    s3().uploadPart(
            r -> r.bucket(bucket).key("aborted").uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(randomBytes(1024, 6)));

    s3().abortMultipartUpload(r -> r.bucket(bucket).key("aborted").uploadId(uploadId));

    assertThat(s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    assertThat(s3().listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
  }

  @Test
  void fileIoPropertiesDescribeThisServer() {
    S3Endpoint s3 = endpoint();
    assertThat(s3.fileIoProperties())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("s3.endpoint", s3.endpoint().toString()),
            org.assertj.core.api.Assertions.entry("s3.path-style-access", "true"),
            org.assertj.core.api.Assertions.entry("s3.access-key-id", s3.accessKey()),
            org.assertj.core.api.Assertions.entry("s3.secret-access-key", s3.secretKey()),
            org.assertj.core.api.Assertions.entry("client.region", s3.region()));
    assertThat(s3.endpoint().getHost()).isIn("127.0.0.1", "localhost");
  }

  static List<String> keys(ListObjectsV2Response response) {
    return response.contents().stream().map(S3Object::key).toList();
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
