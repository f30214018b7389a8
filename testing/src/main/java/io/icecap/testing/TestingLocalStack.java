package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * LocalStack's S3 service in a Docker container, started through Testcontainers.
 *
 * <p>Needs a reachable Docker engine; see {@link #isDockerAvailable()}. The image is {@value
 * #DEFAULT_IMAGE} unless the system property {@value #IMAGE_PROPERTY} names another; the
 * environment variable {@code LOCALSTACK_AUTH_TOKEN} is passed on when set.
 */
public final class TestingLocalStack implements S3Endpoint {

  /** System property naming the LocalStack image to run. */
  public static final String IMAGE_PROPERTY = "icecap.localstack.image";

  /** The LocalStack image run unless {@value #IMAGE_PROPERTY} is set. */
  public static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

  private static final Duration DOCKER_PROBE_TIMEOUT = Duration.ofSeconds(30);
  private static final String AUTH_TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";

  private static Optional<String> dockerUnavailableReason;

  private final LocalStackContainer container;
  private final URI endpoint;
  private S3Client client;
  private boolean closed;

  private TestingLocalStack(LocalStackContainer container) {
    this.container = requireNonNull(container, "container");
    this.endpoint = container.getEndpoint();
  }

  /**
   * Starts a LocalStack container with the S3 service.
   *
   * @throws IllegalStateException if no Docker engine is reachable
   */
  public static TestingLocalStack start() {
    Optional<String> unavailable = dockerUnavailableReason();
    if (unavailable.isPresent()) {
      throw new IllegalStateException(
          "LocalStack needs a Docker engine; none is reachable here (" + unavailable.get() + ")");
    }
    String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(image)).withServices("s3");
    String token = System.getenv(AUTH_TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      container.withEnv(AUTH_TOKEN_VARIABLE, token);
    }
    try {
      container.start();
      return new TestingLocalStack(container);
    } catch (RuntimeException e) {
      container.stop();
      throw new IllegalStateException(
          "LocalStack container "
              + image
              + " failed to start; set -D"
              + IMAGE_PROPERTY
              + " to another image if this one is unavailable",
          e);
    }
  }

  /**
   * Returns whether Testcontainers can reach a Docker engine. Probes once per JVM, never throws,
   * and gives up after 30 s.
   */
  public static boolean isDockerAvailable() {
    return dockerUnavailableReason().isEmpty();
  }

  /** Returns why Docker cannot be used, or empty when it can. */
  static synchronized Optional<String> dockerUnavailableReason() {
    if (dockerUnavailableReason == null) {
      dockerUnavailableReason = probeDocker();
    }
    return dockerUnavailableReason;
  }

  private static Optional<String> probeDocker() {
    CompletableFuture<Boolean> probe = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                probe.complete(DockerClientFactory.instance().isDockerAvailable());
              } catch (Throwable t) {
                probe.completeExceptionally(t);
              }
            },
            "icecap-docker-probe");
    thread.setDaemon(true);
    thread.start();
    try {
      if (probe.get(DOCKER_PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        return Optional.empty();
      }
      return Optional.of("Testcontainers found no usable Docker environment: " + dockerHint());
    } catch (TimeoutException e) {
      return Optional.of(
          "Testcontainers did not finish probing for Docker within "
              + DOCKER_PROBE_TIMEOUT.toSeconds()
              + " s: "
              + dockerHint());
    } catch (ExecutionException e) {
      return Optional.of("probing for Docker failed with " + e.getCause() + ": " + dockerHint());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while probing for Docker");
    }
  }

  private static String dockerHint() {
    String dockerHost = System.getenv("DOCKER_HOST");
    if (dockerHost != null && !dockerHost.isBlank()) {
      return "DOCKER_HOST=" + dockerHost + " does not answer";
    }
    Path socket = Path.of("/var/run/docker.sock");
    if (!Files.exists(socket)) {
      return "DOCKER_HOST is not set and " + socket + " does not exist";
    }
    return socket + " exists but does not answer";
  }

  /** Returns LocalStack's edge endpoint. */
  @Override
  public URI endpoint() {
    return endpoint;
  }

  /** Returns the access key LocalStack accepts. */
  @Override
  public String accessKey() {
    return container.getAccessKey();
  }

  /** Returns the secret key LocalStack accepts. */
  @Override
  public String secretKey() {
    return container.getSecretKey();
  }

  /** Returns LocalStack's default region. */
  @Override
  public String region() {
    return container.getRegion();
  }

  /** {@inheritDoc} */
  @Override
  public synchronized S3Client s3Client() {
    if (closed) {
      throw new IllegalStateException("The LocalStack container at " + endpoint + " is closed");
    }
    if (client == null) {
      client = S3Clients.create(this);
    }
    return client;
  }

  /** Closes the shared client and stops the container. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      container.stop();
    }
  }

  @Override
  public String toString() {
    return "TestingLocalStack[" + endpoint + "]";
  }
}
