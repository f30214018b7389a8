package io.icecap.worker;

import io.icecap.testing.TestingLocalStack;
import io.icecap.txn.dispatch.Invoker;
import io.icecap.txn.dispatch.LambdaInvoker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The invoker contract end to end on LocalStack: this module's Lambda package deployed as a
 * function in a LocalStack container (S3 and Lambda), invoked by {@link LambdaInvoker} through
 * LocalStack's Lambda API. LocalStack runs each function in a Docker container of its own, on the
 * host's network, so the function reaches the test's Redis and S3-API server on loopback (Linux
 * Docker engines only).
 *
 * <p>Needs a Docker engine; where none is reachable every test is skipped, saying so.
 */
@EnabledIf(
    value = "dockerAvailable",
    disabledReason =
        "LocalStackLambdaIT needs a Docker engine to run LocalStack and its Lambda functions; none"
            + " is reachable here, so it is skipped")
class LocalStackLambdaIT extends InvokerContract {
  private static final String HANDLER = "io.icecap.worker.function.ApplyFunction::handleRequest";
  private static final String CODE_BUCKET = "icecap-code";
  private static final String CODE_KEY = "worker-function.zip";

  private static LocalStackContainer localStack;
  private static LambdaClient lambda;

  static boolean dockerAvailable() {
    return TestingLocalStack.isDockerAvailable();
  }

  @BeforeAll
  static void startLocalStack() throws IOException {
    localStack =
        new LocalStackContainer(
                DockerImageName.parse(
                    System.getProperty(
                        TestingLocalStack.IMAGE_PROPERTY, TestingLocalStack.DEFAULT_IMAGE)))
            .withServices("s3", "lambda")
            .withEnv("LAMBDA_DOCKER_NETWORK", "host")
            .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock");
    String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
    if (token != null && !token.isBlank()) {
      localStack.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }
    localStack.start();
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(localStack.getAccessKey(), localStack.getSecretKey()));
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(localStack.getEndpoint())
            .region(Region.of(localStack.getRegion()))
            .credentialsProvider(credentials)
            .forcePathStyle(true)
            .build()) {
      s3.createBucket(request -> request.bucket(CODE_BUCKET));
      s3.putObject(
          request -> request.bucket(CODE_BUCKET).key(CODE_KEY),
          RequestBody.fromFile(LambdaPackageIT.packageZip()));
    }
    lambda =
        LambdaClient.builder()
            .endpointOverride(localStack.getEndpoint())
            .region(Region.of(localStack.getRegion()))
            .credentialsProvider(credentials)
            .build();
  }

  @AfterAll
  static void stopLocalStack() {
    if (lambda != null) {
      lambda.close();
    }
    if (localStack != null) {
      localStack.stop();
    }
  }

  @Override
  Invoker invoker(Map<String, String> properties, Path work) {
    String name = "icecap-worker-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = S3WritePath.functionEnv(properties, Path.of("/tmp/icecap"));
    lambda.createFunction(
        request ->
            request
                .functionName(name)
                .runtime(Runtime.JAVA17)
                .handler(HANDLER)
                .role("arn:aws:iam::000000000000:role/icecap-worker")
                .code(code -> code.s3Bucket(CODE_BUCKET).s3Key(CODE_KEY))
                .timeout(120)
                .memorySize(2048)
                .environment(environment -> environment.variables(env)));
    lambda.waiter().waitUntilFunctionActiveV2(request -> request.functionName(name));
    return new LambdaInvoker(
        LambdaClient.builder()
            .endpointOverride(localStack.getEndpoint())
            .region(Region.of(localStack.getRegion()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        localStack.getAccessKey(), localStack.getSecretKey())))
            .build(),
        name,
        4);
  }
}
