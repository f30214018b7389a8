package io.icecap.testing;

import java.io.Closeable;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-API server for tests: the in-process {@link TestingS3Server} or a {@link TestingLocalStack}
 * container. Clients must use path-style addressing.
 */
public interface S3Endpoint extends Closeable {

  /** Returns the endpoint, e.g. {@code http://127.0.0.1:41234}. */
  URI endpoint();

  /** Returns the access key id the server accepts. */
  String accessKey();

  /** Returns the secret access key the server accepts. */
  String secretKey();

  /** Returns the region to sign requests for. */
  String region();

  /**
   * Returns an S3 client for this server (path style, static credentials, this region). The client
   * is shared and owned by the server: do not close it.
   */
  S3Client s3Client();

  /**
   * Creates a bucket.
   *
   * @return {@code bucket}, for chaining into a warehouse location
   */
  default String createBucket(String bucket) {
    s3Client().createBucket(request -> request.bucket(bucket));
    return bucket;
  }

  /**
   * Returns the Iceberg {@code S3FileIO} properties for this server: {@code s3.endpoint}, {@code
   * s3.path-style-access}, {@code s3.access-key-id}, {@code s3.secret-access-key} and {@code
   * client.region}.
   */
  default Map<String, String> fileIoProperties() {
    return Map.of(
        "s3.endpoint", endpoint().toString(),
        "s3.path-style-access", "true",
        "s3.access-key-id", accessKey(),
        "s3.secret-access-key", secretKey(),
        "client.region", region());
  }

  /** Stops the server and releases what it holds. */
  @Override
  void close();
}
