package io.icecap.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds AWS SDK v2 clients for an {@link S3Endpoint}. */
final class S3Clients {

  private S3Clients() {}

  /** Returns a path-style client with the endpoint's static credentials and region. */
  static S3Client create(S3Endpoint endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint.endpoint())
        .forcePathStyle(true)
        .region(Region.of(endpoint.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }
}
