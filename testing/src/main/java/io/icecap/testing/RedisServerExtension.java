package io.icecap.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link TestingRedisServer} before all tests of a class and closes it after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension REDIS = RedisServerExtension.builder().appendOnly(true).build();
 *
 * @BeforeEach
 * void isolate() {
 *   REDIS.flushAll();
 * }
 *
 * @Test
 * void works(TestingRedisServer redis) { ... }
 * }</pre>
 *
 * <p>Register it on a {@code static} field; it resolves test and lifecycle method parameters of
 * type {@link TestingRedisServer}.
 */
public final class RedisServerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final TestingRedisServer.Builder serverBuilder;
  private TestingRedisServer server;
  private String ownerId;

  private RedisServerExtension(TestingRedisServer.Builder serverBuilder) {
    this.serverBuilder = requireNonNull(serverBuilder, "serverBuilder");
  }

  /** Returns a builder with the options of {@link TestingRedisServer.Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the server unless an enclosing class already did. */
  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (server != null) {
      return;
    }
    TestingRedisServer created = serverBuilder.build();
    try {
      created.start();
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
    server = created;
    ownerId = context.getUniqueId();
  }

  /** Closes the server when the class that started it is done. */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (server != null && context.getUniqueId().equals(ownerId)) {
      try {
        server.close();
      } finally {
        server = null;
        ownerId = null;
      }
    }
  }

  /** Returns the running server. */
  public synchronized TestingRedisServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "The Redis server runs only between beforeAll and afterAll; register"
              + " RedisServerExtension on a static field with @RegisterExtension");
    }
    return server;
  }

  /** Deletes every key of every database (FLUSHALL), for isolation between tests. */
  public void flushAll() {
    try (RespConnection connection = server().connect()) {
      connection.call("FLUSHALL");
    }
  }

  /** Claims parameters of type {@link TestingRedisServer}. */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == TestingRedisServer.class;
  }

  /** Returns the running server. */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return server();
  }

  /** Configures a {@link RedisServerExtension} with the options of the server it starts. */
  public static final class Builder {
    private final TestingRedisServer.Builder serverBuilder = TestingRedisServer.builder();

    private Builder() {}

    /** See {@link TestingRedisServer.Builder#appendOnly(boolean)}. */
    public Builder appendOnly(boolean appendOnly) {
      serverBuilder.appendOnly(appendOnly);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#dataDir(Path)}. */
    public Builder dataDir(Path dataDir) {
      serverBuilder.dataDir(dataDir);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#password(String)}. */
    public Builder password(String password) {
      serverBuilder.password(password);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#aclUser(String, String)}. */
    public Builder aclUser(String user, String password) {
      serverBuilder.aclUser(user, password);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#aclUser(String, String, String)}. */
    public Builder aclUser(String user, String password, String rules) {
      serverBuilder.aclUser(user, password, rules);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#config(String)}. */
    public Builder config(String line) {
      serverBuilder.config(line);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#tls(boolean)}. */
    public Builder tls(boolean tls) {
      serverBuilder.tls(tls);
      return this;
    }

    /** See {@link TestingRedisServer.Builder#port(int)}. */
    public Builder port(int port) {
      serverBuilder.port(port);
      return this;
    }

    /** Returns the extension; its server is built and started in {@code beforeAll}. */
    public RedisServerExtension build() {
      return new RedisServerExtension(serverBuilder);
    }
  }
}
