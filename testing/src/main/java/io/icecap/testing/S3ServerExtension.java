package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one S3-API server before all tests of a class and closes it after them.
 *
 * <pre>{@code
 * @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
 *
 * @Test
 * void works(S3Endpoint s3) { ... }
 * }</pre>
 *
 * <p>The server is the in-process {@link TestingS3Server} unless the system property {@value
 * #BACKEND_PROPERTY} is {@code localstack}, or the extension is built with {@link
 * Backend#LOCALSTACK}; then it is a {@link TestingLocalStack} container, and every test of the
 * class is skipped (aborted by an assumption) when no Docker engine is reachable. Register it on a
 * {@code static} field; it resolves parameters of type {@link S3Endpoint} and of the concrete
 * server type.
 */
public final class S3ServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {

  /** System property choosing the backend: {@code s3proxy} (the default) or {@code localstack}. */
  public static final String BACKEND_PROPERTY = "icecap.s3.backend";

  /** The S3-API implementations this extension can start. */
  public enum Backend {
    /** S3Proxy in this JVM, objects stored as files: fast, needs nothing. */
    S3PROXY,
    /** LocalStack in a Docker container: closer to AWS, needs a Docker engine. */
    LOCALSTACK;

    /**
     * Parses a {@value #BACKEND_PROPERTY} value; {@code null} or blank means {@link #S3PROXY}.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Backend parse(String value) {
      if (value == null || value.isBlank()) {
        return S3PROXY;
      }
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "s3proxy":
          return S3PROXY;
        case "localstack":
          return LOCALSTACK;
        default:
          throw new IllegalArgumentException(
              "-D" + BACKEND_PROPERTY + " must be 's3proxy' or 'localstack', was '" + value + "'");
      }
    }
  }

  private final Backend requested;
  private S3Endpoint server;
  private String skipReason;
  private String ownerId;

  /** Uses the backend named by {@value #BACKEND_PROPERTY}, S3Proxy when it is unset. */
  public S3ServerExtension() {
    this.requested = null;
  }

  /** Uses {@code backend} whatever {@value #BACKEND_PROPERTY} says. */
  public S3ServerExtension(Backend backend) {
    this.requested = requireNonNull(backend, "backend");
  }

  /** Returns the backend this extension starts. */
  public Backend backend() {
    return requested != null ? requested : Backend.parse(System.getProperty(BACKEND_PROPERTY));
  }

  /**
   * Starts the server unless an enclosing class already did. With LocalStack and no Docker engine
   * nothing is started, and each test is then skipped by {@link #beforeEach}.
   */
  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (server != null || skipReason != null) {
      return;
    }
    Backend backend = backend();
    if (backend == Backend.LOCALSTACK) {
      Optional<String> unavailable = TestingLocalStack.dockerUnavailableReason();
      if (unavailable.isPresent()) {
        skipReason =
            "LocalStack tests need a Docker engine; none is reachable here ("
                + unavailable.get()
                + "). Start Docker, or run without -D"
                + BACKEND_PROPERTY
                + "=localstack to use the in-process S3Proxy.";
      } else {
        server = TestingLocalStack.start();
      }
    } else {
      server = TestingS3Server.start();
    }
    ownerId = context.getUniqueId();
  }

  /** Skips the test (a JUnit assumption) when the requested backend could not be started. */
  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (skipReason != null) {
      Assumptions.abort(skipReason);
    }
  }

  /** Closes the server when the class that started it is done. */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(ownerId)) {
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        server = null;
        skipReason = null;
        ownerId = null;
      }
    }
  }

  /**
   * Returns the running server.
   *
   * @throws org.opentest4j.TestAbortedException if the backend is unavailable, so a caller in a
   *     {@code @BeforeAll} or {@code @BeforeEach} method skips rather than fails
   */
  public synchronized S3Endpoint server() {
    if (skipReason != null) {
      Assumptions.abort(skipReason);
    }
    if (server == null) {
      throw new IllegalStateException(
          "The S3 server runs only between beforeAll and afterAll; register S3ServerExtension on"
              + " a static field with @RegisterExtension");
    }
    return server;
  }

  /** Claims parameters of type {@link S3Endpoint} and of the running server's own type. */
  @Override
  public synchronized boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    if (type == S3Endpoint.class) {
      return true;
    }
    return S3Endpoint.class.isAssignableFrom(type) && type.isInstance(server);
  }

  /** Returns the running server. */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return server();
  }
}
